import {livePostDeps} from '../deps.ts'
import {post} from './main.ts'

await post(livePostDeps())
