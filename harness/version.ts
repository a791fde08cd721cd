// The tool's version, from package.json (one source of truth).
import { readFileSync } from 'node:fs';
import { projectPath } from './paths.js';

export const TOOL_VERSION: string = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version;
