// Facts about the bundled personas that the end-to-end tests check hachi's answers against.

export const CAMERA = {
  id: 'xm-ipc-hi3516d',
  username: 'root',
  password: 'xc3511',
  unameMachine: 'armv7l',
  cpuinfoPattern: /ARMv7 Processor/,
  /** e_machine of ARM. */
  elfMachine: 40,
} as const;

export const ROUTER = { id: 'asus-rt-n12e-rtl8196c', username: 'admin', password: 'admin' } as const;
