import {ACTION_NAMES, parseActionName} from '../common/action-metadata.ts'
import {consoleCore} from '../common/core.ts'
import {describeError} from '../common/errors.ts'
import {dispatch} from '../actions/dispatch.ts'
import {parseCliArgs} from './args.ts'
import {findCommand, runCommand} from './commands.ts'
import {createConsole} from './console.ts'
import {actionHelp, usage} from './usage.ts'

// Local command line. `npm start -- <command>` runs a pipeline step or the
// demo; `npm start -- <action> --<input> <value> ...` runs one action's
// run(), as the GitHub action would, with defaults from its action.yml.
const argv = process.argv.slice(2)
const [first = ''] = argv
const command = findCommand(first)
if (first === '' || first === '--help' || first === '-h' || first === 'help') {
  process.stdout.write(usage())
} else if (command) {
  const out = createConsole()
  try {
    process.exitCode = await runCommand(
      command,
      argv.slice(1),
      out,
      process.env,
      process.cwd()
    )
  } catch (err) {
    out.print(`error: ${describeError(err, `cli ${first}`)}`)
    process.exitCode = 1
  }
} else {
  const core = consoleCore()
  try {
    if (!(ACTION_NAMES as readonly string[]).includes(first)) {
      core.setFailed(
        `unknown command or action '${first}'; run \`npm start -- --help\` for the list`
      )
    } else {
      const args = parseCliArgs(argv)
      const action = parseActionName(args.action, 'action')
      if (args.help) process.stdout.write(actionHelp(action))
      else {
        await dispatch(action, {core, env: {...process.env, ...args.env}})
      }
    }
  } catch (err) {
    core.setFailed(describeError(err, 'cli'))
  }
}
