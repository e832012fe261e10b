// The package ships no declarations; these are the calls the learned reader makes.
declare module 'wink-naive-bayes-text-classifier' {
  interface NaiveBayesTextClassifier<T> {
    definePrepTasks(tasks: Array<(input: T) => string[]>): number;
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    learn(input: T, label: string): boolean;
    consolidate(): boolean;
    /** One-vs-rest log2 odds per label, highest first; `[['unknown', 0]]` when no token was ever seen. */
    computeOdds(input: T): Array<[string, number]>;
    exportJSON(): string;
    importJSON(json: string): boolean;
  }
  function naiveBayesTextClassifier<T = string>(): NaiveBayesTextClassifier<T>;
  export default naiveBayesTextClassifier;
}
