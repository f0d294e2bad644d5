// coordctl's human-readable output. Pure.
import type { Stat, WatchEvent } from '../types';

export interface TreeNode {
  path: string;
  children: TreeNode[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The stat block in zkCli's layout. */
export function formatStat(stat: Stat): string {
  return [
    `cZxid = ${hex(stat.czxid)}`,
    `ctime = ${new Date(stat.ctime).toISOString()}`,
    `mZxid = ${hex(stat.mzxid)}`,
    `mtime = ${new Date(stat.mtime).toISOString()}`,
    `pZxid = ${hex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = ${hex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ].join('\n');
}

/** One line per event: "NODE_DATA_CHANGED /a zxid=0x5". */
export function formatEvent(event: WatchEvent): string {
  return `${event.type} ${event.path} zxid=${hex(event.zxid)}`;
}

/** The subtree with box-drawing branches, root first. */
export function formatTree(root: TreeNode): string {
  const lines = [root.path];
  const walk = (node: TreeNode, indent: string): void => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${indent}${last ? '└── ' : '├── '}${child.path.slice(child.path.lastIndexOf('/') + 1)}`);
      walk(child, indent + (last ? '    ' : '│   '));
    });
  };
  walk(root, '');
  return lines.join('\n');
}
