// Builds the client's one served file and its types from src/:
//   parley.js    the modules of src/ bundled into one ES module (rollup), as the server serves it at /parley.js
//   parley.d.ts  the declarations tsc derives from src/ (JSDoc and types.ts), bundled into one file
// `--check` builds into build/ instead and fails when the committed files differ from what src/ gives, or when
// tsc finds a type error: CI runs it, so the served file and its types never drift from the source.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const build = join(root, 'build');
/** Runs tsc on a project; its errors are printed as they are, and end the build. */
function tsc(project) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { stdio: 'inherit' });
  } catch {
    console.error(`tsc found errors in ${project} (above)`);
    process.exit(1);
  }
}
const banner = (what) => `// ${what} Built by scripts/build.mjs from src/: edit those files, then run \`npm run build\`.\n`;

async function bundle(options, header) {
  const built = await rollup({ ...options, onwarn: (warning) => { throw new Error(warning.message); } });
  const { output } = await built.generate({ format: 'es', banner: header });
  await built.close();
  return output[0].code;
}

rmSync(build, { recursive: true, force: true });
// Type-checks src/ and writes its declarations to build/types (tsconfig.json).
tsc(root);
writeFileSync(join(build, 'types/entry.d.ts'),
  "export * from './index.js';\nexport { default } from './index.js';\nexport type * from './types.js';\n");

const files = {
  'parley.js': await bundle({ input: join(root, 'src/index.js') },
    banner('Parley browser client for wire protocol v1 (docs/protocol.md): one dependency-free ES module.')),
  'parley.d.ts': await bundle({ input: join(build, 'types/entry.d.ts'), plugins: [dts()] },
    banner('Types of parley.js, the Parley browser client.')),
};

let stale = [];
for (const [name, text] of Object.entries(files)) {
  if (check) {
    mkdirSync(build, { recursive: true });
    writeFileSync(join(build, name), text);
    let committed = '';
    try {
      committed = readFileSync(join(root, name), 'utf8');
    } catch {
      // missing: stale
    }
    if (committed !== text) {
      stale.push(name);
    }
  } else {
    writeFileSync(join(root, name), text);
    console.log(`wrote ${name} (${text.length} characters)`);
  }
}
if (stale.length > 0) {
  console.error(`${stale.join(' and ')} differ from what src/ builds (see build/): run \`npm run build\` in clients/js and commit the result.`);
  process.exit(1);
}
if (check) {
  // An application's view: test/types/usage.ts compiled against the built parley.d.ts.
  tsc(join(root, 'test/types'));
  console.log('parley.js and parley.d.ts match src/; src/ and test/types type-check');
}
