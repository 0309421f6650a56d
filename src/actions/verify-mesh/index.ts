import {liveBaseDeps} from '../deps.ts'
import {run} from './main.ts'

await run(liveBaseDeps())
// Idle keep-alive sockets (istiod, GitHub) must not hold a finished or
// cancelled step open: the runner's cancellation waits only seconds.
process.exit()
