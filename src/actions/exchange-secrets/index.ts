import {liveBaseDeps} from '../deps.ts'
import {run} from './main.ts'

await run(liveBaseDeps())
