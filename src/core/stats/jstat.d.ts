// Types for the part of jstat (it ships none) that the statistics code uses.
declare module 'jstat' {
  export const jStat: {
    studentt: { cdf(x: number, dof: number): number; pdf(x: number, dof: number): number; inv(p: number, dof: number): number };
    normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number };
    noncentralt: { cdf(x: number, dof: number, ncp: number): number };
  };
}
