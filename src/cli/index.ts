import {consoleCore} from '../common/core.ts'
import {describeError} from '../common/errors.ts'
import {dispatch} from '../actions/dispatch.ts'
import {parseActionName} from '../common/action-metadata.ts'
import {parseCliArgs, usage} from './args.ts'

// Local command line: `npm start -- <action> --<input> <value> ...` runs the
// same run() as the GitHub action, with defaults from its action.yml.
const core = consoleCore()
try {
  const args = parseCliArgs(process.argv.slice(2))
  if (args.help) {
    process.stdout.write(usage())
  } else {
    const action = parseActionName(args.action, 'action')
    await dispatch(action, {core, env: {...process.env, ...args.env}})
  }
} catch (err) {
  core.setFailed(describeError(err, 'cli'))
}
