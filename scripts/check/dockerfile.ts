import { Copy, DockerfileParser, JSONInstruction, type From, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/**
 * The capacity service's Dockerfile, checked without a Docker engine: dockerfile-utils' validator (the one behind the
 * VS Code Docker extension) for syntax and instruction arguments, then the rules of this project's image:
 * - multi-stage, every base image `node:22...` (pinned by major, never `latest` or untagged);
 * - a build stage that runs `npm ci` and `npm run build`;
 * - a final runtime stage that installs only the capacity workspace's production dependencies, copies the compiled
 *   dist from the build stage and nothing else from the build context but manifests;
 * - a non-root USER, the API and probe ports exposed, a HEALTHCHECK, and the service started by `node` in exec form;
 * - no secret baked in through ENV or ARG.
 */
export interface DockerfileProblem {
  line: number;
  message: string;
}

export const SERVICE_CMD = ['node', 'services/capacity/dist/serve.js'];
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PRIVATE_KEY|CLIENT_ID|USERNAME/i;

interface Stage {
  from: From;
  name: string | undefined;
  instructions: Instruction[];
}

function stagesOf(text: string): Stage[] {
  const dockerfile = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      stages.push({ from, name: from.getBuildStage() ?? undefined, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const words = (instruction: Instruction) => instruction.getArguments().map((argument) => argument.getValue());
const lineOf = (instruction: Instruction) => instruction.getRange().start.line + 1;
const runs = (stage: Stage) => stage.instructions.filter((instruction) => instruction.getKeyword() === 'RUN');
/** A RUN's shell command, without its flags (`--mount=...`). */
const commandOf = (instruction: Instruction) =>
  words(instruction)
    .filter((word, index, all) => !(word.startsWith('--') && all.slice(0, index).every((w) => w.startsWith('--'))))
    .join(' ');

/** The `npm ci` commands of a stage, one per `&&`-separated part of its RUN lines. */
function npmCi(stage: Stage): { command: string; line: number }[] {
  return runs(stage).flatMap((run) =>
    commandOf(run)
      .split(/&&|;/)
      .map((part) => part.trim())
      .filter((part) => /^npm\s+ci\b/.test(part))
      .map((command) => ({ command, line: lineOf(run) }))
  );
}

const installsCapacityOnly = (command: string) =>
  /(^|\s)--omit[= ]dev(\s|$)/.test(command) && /(^|\s)(-w|--workspace)[= ]@handoff\/capacity(\s|$)/.test(command);

export function dockerfileProblems(text: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = validate(text).map((diagnostic) => ({
    line: diagnostic.range.start.line + 1,
    message: `dockerfile-utils: ${diagnostic.message}`
  }));
  const stages = stagesOf(text);
  const problem = (line: number, message: string) => problems.push({ line, message });
  if (stages.length < 2) {
    problem(1, 'the image is not multi-stage: a build stage and a runtime stage are expected');
    return problems;
  }

  const names = new Set(stages.map((stage) => stage.name?.toLowerCase()).filter(Boolean));
  for (const stage of stages) {
    const image = stage.from.getImageName();
    if (image && names.has(image.toLowerCase())) continue;
    const tag = stage.from.getImageTag();
    if (image !== 'node' || !tag || !/^22([.-]|$)/.test(tag)) {
      problem(
        lineOf(stage.from),
        `base image ${stage.from.getImage()} is not Node 22 pinned by major version (node:22 or node:22-<variant>)`
      );
    }
  }

  const runtime = stages.at(-1)!;
  const builds = stages.slice(0, -1);
  const build = builds.find((stage) =>
    runs(stage).some((run) => /(^|&&\s*|;\s*)npm\s+run\s+build\b/.test(commandOf(run)))
  );
  if (!build) problem(lineOf(stages[0]!.from), 'no build stage runs `npm run build`');
  else if (!npmCi(build).some(({ command }) => !/--omit[= ]dev/.test(command))) {
    problem(lineOf(build.from), 'the build stage does not run `npm ci` with its devDependencies');
  }

  const installs = npmCi(runtime);
  if (installs.length === 0 || !installs.every(({ command }) => installsCapacityOnly(command))) {
    problem(
      installs[0]?.line ?? lineOf(runtime.from),
      'the runtime stage must install only production dependencies of the capacity workspace ' +
        '(`npm ci --omit=dev -w @handoff/capacity`)'
    );
  }
  for (const run of runs(runtime)) {
    if (/(^|&&\s*|;\s*)(npm\s+(install|i|add)|yarn|pnpm)\b/.test(commandOf(run))) {
      problem(lineOf(run), 'the runtime stage installs packages other than by `npm ci` from the lock file');
    }
  }
  const copies = runtime.instructions.filter((instruction) => instruction.getKeyword() === 'COPY');
  const fromBuild = copies.filter((copy) => copy instanceof Copy && copy.getFromFlag() !== null);
  if (
    !fromBuild.some((copy) => {
      const args = words(copy);
      return args.some((source, index) => index < args.length - 1 && source.endsWith('services/capacity/dist'));
    })
  ) {
    problem(lineOf(runtime.from), 'the runtime stage does not copy services/capacity/dist from the build stage');
  }
  for (const copy of copies.filter((copy) => !fromBuild.includes(copy))) {
    const sources = words(copy).slice(0, -1);
    for (const source of sources.filter((source) => !/(^|\/)package(-lock)?\.json$/.test(source))) {
      problem(lineOf(copy), `the runtime stage copies ${source} from the build context: only manifests belong there`);
    }
  }
  if (runtime.instructions.some((instruction) => instruction.getKeyword() === 'ADD')) {
    problem(lineOf(runtime.from), 'the runtime stage uses ADD: use COPY');
  }

  const user = runtime.instructions.filter((instruction) => instruction.getKeyword() === 'USER').at(-1);
  const userName = user ? (words(user)[0] ?? '').split(':')[0] : undefined;
  if (!user || userName === 'root' || userName === '0') {
    problem(user ? lineOf(user) : lineOf(runtime.from), 'the runtime stage does not run as a non-root USER');
  }

  const exposed = runtime.instructions
    .filter((instruction) => instruction.getKeyword() === 'EXPOSE')
    .flatMap((instruction) => words(instruction).map((word) => word.split('/')[0]));
  for (const port of ['8080', '8081']) {
    if (!exposed.includes(port)) problem(lineOf(runtime.from), `the runtime stage does not EXPOSE ${port}`);
  }

  const healthcheck = runtime.instructions.find((instruction) => instruction.getKeyword() === 'HEALTHCHECK');
  if (!healthcheck || words(healthcheck)[0]?.toUpperCase() === 'NONE') {
    problem(lineOf(runtime.from), 'the runtime stage has no HEALTHCHECK on the probe listener');
  } else if (!/\/livez|\/readyz/.test(healthcheck.getRawArgumentsContent() ?? '')) {
    problem(lineOf(healthcheck), 'the HEALTHCHECK does not ask the probe listener (/livez or /readyz)');
  }

  const cmds = runtime.instructions.filter((instruction) => instruction.getKeyword() === 'CMD');
  const cmd = cmds.at(-1);
  const cmdArgs = cmd instanceof JSONInstruction ? cmd.getJSONStrings() : [];
  if (!cmd || JSON.stringify(cmdArgs.map((argument) => argument.getJSONValue())) !== JSON.stringify(SERVICE_CMD)) {
    problem(
      cmd ? lineOf(cmd) : lineOf(runtime.from),
      `the runtime stage does not start the service in exec form: CMD ${JSON.stringify(SERVICE_CMD)}`
    );
  }
  if (runtime.instructions.some((instruction) => instruction.getKeyword() === 'ENTRYPOINT')) {
    problem(lineOf(runtime.from), 'the runtime stage has an ENTRYPOINT: the CMD alone starts the service');
  }

  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'ENV' && instruction.getKeyword() !== 'ARG') continue;
      for (const word of words(instruction)) {
        const name = word.split('=')[0]!;
        if (SECRET_NAME.test(name)) {
          problem(lineOf(instruction), `${name} is set in the image: secrets come from the platform at run time`);
        }
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** What the runtime stage installs: the manifests it copies from the context, and its `npm ci` commands. */
export function runtimeInstall(text: string): { manifests: string[]; commands: string[] } {
  const runtime = stagesOf(text).at(-1)!;
  const manifests = runtime.instructions
    .filter((instruction) => instruction instanceof Copy && instruction.getFromFlag() === null)
    .flatMap((copy) => words(copy).slice(0, -1));
  return { manifests, commands: npmCi(runtime).map(({ command }) => command) };
}

/** The patterns a .dockerignore must hold so that no secret, checkout state or dependency tree enters the context. */
export function dockerignoreProblems(text: string): string[] {
  const patterns = new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
  );
  return ['**/node_modules', '**/dist', '.git', '.env', '*.pem']
    .filter((pattern) => !patterns.has(pattern))
    .map((pattern) => `.dockerignore does not exclude ${pattern}`);
}
