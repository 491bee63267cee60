// Reads nmap's ssh2-enum-algos script output, for tests that compare it with a persona's ssh.yaml.

/** The ssh2-enum-algos section as { kex_algorithms: [...], ... }. */
export function enumAlgos(output: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  let current: string[] | null = null;
  for (const line of output.split('\n')) {
    const head = /^\|[_ ] {2}(\w+): \((\d+)\)$/.exec(line);
    if (head?.[1]) lists[head[1]] = current = [];
    else if (current && /^\|[_ ] {6}\S+$/.test(line)) current.push(line.slice(8));
    else if (!/^\| ssh2-enum-algos:/.test(line)) current = null;
  }
  return lists;
}

