// Mocha reporter: the built-in "spec" output, then one last line on stdout, exactly
// "<passed> passed, <failed> failed", for tools that read the outcome from the end of the log.
// Pending (skipped) tests are not counted in either number.
"use strict";

const Mocha = require("mocha");

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    // Spec prints its epilogue (totals, failure details) on EVENT_RUN_END; this listener is added after it.
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats;
      process.stdout.write(`${passes} passed, ${failures} failed\n`);
    });
  }
}

module.exports = SpecWithSummary;
