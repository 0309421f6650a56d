import {getState} from '@actions/core'
import {liveBaseDeps} from '../deps.ts'
import {post} from './cleanup.ts'

await post({...liveBaseDeps(), getState})
