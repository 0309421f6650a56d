import {
  ACTION_NAMES,
  readActionMetadata,
  type ActionName
} from '../common/action-metadata.ts'
import {COMMANDS} from './commands.ts'

/** `npm start -- --help`: the commands, then the actions. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length))
  return [
    'usage: npm start -- <command> [options]      (--help after a command for its options)',
    '       npm start -- <action> [--<input> <value> ...]',
    '',
    'commands:',
    ...COMMANDS.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `actions: ${ACTION_NAMES.join(', ')}`,
    '  each runs as the GitHub action does, its defaults from actions/<action>/action.yml;',
    '  a repeated input joins as lines (--vars a=1 --vars b=2).',
    '',
    'first run: npm start -- demo',
    ''
  ].join('\n')
}

/** `npm start -- <action> --help`: its inputs and outputs from action.yml. */
export function actionHelp(action: ActionName): string {
  const meta = readActionMetadata(action)
  const oneLine = (text = '') => text.replace(/\s+/g, ' ').trim()
  return [
    `usage: npm start -- ${action} [--<input> <value> ...]`,
    '',
    oneLine(meta.description),
    '',
    'inputs:',
    ...Object.entries(meta.inputs).map(
      ([name, i]) =>
        `  --${name}${i.required ? ' (required)' : i.default ? ` (default ${i.default})` : ''}: ${oneLine(i.description)}`
    ),
    '',
    'outputs:',
    ...Object.entries(meta.outputs).map(
      ([name, o]) => `  ${name}: ${oneLine(o.description)}`
    ),
    ''
  ].join('\n')
}
