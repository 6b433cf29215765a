/** The bundle's entry point: index.html loads it as a module, after the document is parsed. */
import { App } from './app.js'

const root = document.getElementById('app')
if (root !== null) void new App(root).start()
