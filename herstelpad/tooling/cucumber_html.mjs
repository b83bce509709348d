// Renders Cucumber Messages (NDJSON on stdin) as Cucumber's own HTML report on stdout, with
// @cucumber/html-formatter (which has no command line of its own since version 21).
// Usage: node cucumber_html.mjs <node_modules folder> < cucumber-messages.ndjson > cucumber.html
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'

const modules = process.argv[2]
if (!modules) {
  console.error('usage: node cucumber_html.mjs <node_modules folder> < messages.ndjson > report.html')
  process.exit(2)
}
const require = createRequire(join(modules, 'noop.js'))
const load = async (name) => import(pathToFileURL(require.resolve(name)).href)
const { CucumberHtmlStream } = await load('@cucumber/html-formatter')
const { NdjsonToMessageStream } = await load('@cucumber/message-streams')
await pipeline(process.stdin, new NdjsonToMessageStream(), new CucumberHtmlStream(), process.stdout)
