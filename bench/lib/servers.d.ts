export function productionNodeArgs(): string[];
export function freePort(): Promise<number>;
