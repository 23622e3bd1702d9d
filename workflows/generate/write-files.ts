/** Writes a set of generated branch-day files to a folder, streaming each file in ~1 MB writes. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFile, fileNameOf, type FileSpec } from './file';
import { FILE_LAYOUTS, type FileLayout } from './layouts';
import { BRANCHES } from './menu';

export interface GenerateOptions {
  branches: number;
  days: number;
  /** Sales per file. */
  rows: number;
  out: string;
  seed: number;
  layout: FileLayout | 'mixed';
  /** Bad rows per file, cycling through every reject reason. */
  badRows: number;
  /** First day, YYYY-MM-DD. */
  startDay?: string;
}

export interface WrittenFile {
  path: string;
  spec: FileSpec;
  bytes: number;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function branchName(index: number): string {
  const base = BRANCHES[index % BRANCHES.length]!;
  return index < BRANCHES.length ? base : `${base} ${Math.floor(index / BRANCHES.length) + 1}`;
}

export function fileSpecs(options: GenerateOptions): FileSpec[] {
  const specs: FileSpec[] = [];
  for (let b = 0; b < options.branches; b++) {
    for (let d = 0; d < options.days; d++) {
      const index = b * options.days + d;
      specs.push({
        layout: options.layout === 'mixed' ? FILE_LAYOUTS[index % FILE_LAYOUTS.length]! : options.layout,
        branch: branchName(b),
        day: addDays(options.startDay ?? '2021-08-25', d),
        rows: options.rows,
        badRows: options.badRows,
        seed: (options.seed * 1_000_003 + index) >>> 0,
      });
    }
  }
  return specs;
}

export function writeFile(file: string, spec: FileSpec): number {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let pending = '';
  try {
    for (const record of generateFile(spec)) {
      pending += record.text;
      if (pending.length >= 1 << 20) {
        bytes += fs.writeSync(fd, pending);
        pending = '';
      }
    }
    bytes += fs.writeSync(fd, pending);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

export function writeFiles(options: GenerateOptions): WrittenFile[] {
  fs.mkdirSync(options.out, { recursive: true });
  return fileSpecs(options).map((spec) => {
    const file = path.join(options.out, fileNameOf(spec));
    return { path: file, spec, bytes: writeFile(file, spec) };
  });
}
