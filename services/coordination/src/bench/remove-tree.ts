// Deletes a subtree between benchmark points, children first, many deletes in flight at once:
// a create point leaves tens of thousands of nodes behind.
const PIPELINE = 256;

export async function removeTree(root: string, children: (path: string) => Promise<string[]>, remove: (path: string) => Promise<unknown>): Promise<void> {
  const rm = async (path: string): Promise<void> => {
    const names = await children(path).catch(() => [] as string[]);
    for (let i = 0; i < names.length; i += PIPELINE) {
      await Promise.all(names.slice(i, i + PIPELINE).map((name) => rm(`${path}/${name}`)));
    }
    await remove(path).catch(() => undefined);
  };
  await rm(root);
}
