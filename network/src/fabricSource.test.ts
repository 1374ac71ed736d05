import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FABRIC_CA_RELEASE } from './fabricRelease.js';
import { checkSourceTree, FabricSourceError, sourceTree } from './fabricSource.js';

/** A fake source tree with the given Makefile version and module path. */
async function fakeTree(root: string, options: { ver?: string; module?: string; vendor?: boolean } = {}): Promise<string> {
  const tree = join(root, 'fabric-3.1.5');
  await mkdir(join(tree, 'sampleconfig'), { recursive: true });
  if (options.vendor !== false) await mkdir(join(tree, 'vendor'), { recursive: true });
  await writeFile(join(tree, 'Makefile'), `BASE_VERSION = x\nFABRIC_VER ?= ${options.ver ?? '3.1.5'}\n`);
  await writeFile(join(tree, 'go.mod'), `module ${options.module ?? 'github.com/hyperledger/fabric'}\n\ngo 1.26.4\n`);
  return tree;
}

describe('Fabric source tree check', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'jcc-fabric-src-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('accepts a v3.1.5 tree of github.com/hyperledger/fabric with vendor/', async () => {
    await checkSourceTree(await fakeTree(root));
  });

  it('refuses another release, naming the version found', async () => {
    const tree = await fakeTree(root, { ver: '2.5.16' });
    await assert.rejects(checkSourceTree(tree), (err: unknown) => {
      assert.ok(err instanceof FabricSourceError);
      assert.match(err.output, /found 2\.5\.16, need 3\.1\.5/);
      return true;
    });
  });

  it('refuses a tree of another module', async () => {
    const tree = await fakeTree(root, { module: 'example.com/not-fabric' });
    await assert.rejects(checkSourceTree(tree), /found example\.com\/not-fabric/);
  });

  it('refuses a tree without vendor/, which could not build offline', async () => {
    const tree = await fakeTree(root, { vendor: false });
    await assert.rejects(checkSourceTree(tree), /no vendor\/ folder/);
  });

  it('uses an unpacked tree as it is, and says when FABRIC_SOURCE names nothing', async () => {
    const tree = await fakeTree(root);
    assert.equal(await sourceTree(tree, () => {}), tree);
    await assert.rejects(
      sourceTree(join(root, 'missing.tar.gz'), () => {}),
      /names no file or folder/,
    );
  });

  it('checks a Fabric CA tree against its own release descriptor (BASE_VERSION, module, no sampleconfig needed)', async () => {
    const tree = join(root, 'fabric-ca-1.5.21');
    await mkdir(join(tree, 'vendor'), { recursive: true });
    await writeFile(join(tree, 'Makefile'), 'PROJECT_NAME = fabric-ca\nBASE_VERSION ?= v1.5.21\n');
    await writeFile(join(tree, 'go.mod'), 'module github.com/hyperledger/fabric-ca\n');
    await checkSourceTree(tree, FABRIC_CA_RELEASE);
    await assert.rejects(checkSourceTree(tree), /no FABRIC_VER, need 3\.1\.5/);
    await writeFile(join(tree, 'Makefile'), 'BASE_VERSION ?= v1.5.20\n');
    await assert.rejects(checkSourceTree(tree, FABRIC_CA_RELEASE), /found v1\.5\.20, need v1\.5\.21/);
  });
});
