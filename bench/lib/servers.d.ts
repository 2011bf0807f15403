export function productionNodeArgs(): string[];
