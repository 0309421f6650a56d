import {livePostDeps} from '../deps.ts'
import {post} from './cleanup.ts'

await post(livePostDeps())
