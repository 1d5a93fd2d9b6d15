package org.fedcredit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code fedcredit} command line in-process and captures what it prints. */
final class CliHarness {

  record Run(int exit, String out, String err) {}

  private CliHarness() {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = FedCredit.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
