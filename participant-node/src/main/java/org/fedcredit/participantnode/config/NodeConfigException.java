package org.fedcredit.participantnode.config;

/**
 * The node configuration file is missing or invalid. The message is one line: the file and line,
 * what is wrong, and how to fix it, e.g. {@code node.yaml:3: unknown key 'listn' under the top
 * level; allowed: party, listen, ...}. The CLI prints it and exits with code 2.
 */
public final class NodeConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  NodeConfigException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.file = file;
    this.line = line;
  }

  /** The configuration file as given. */
  public String file() {
    return file;
  }

  /** 1-based line, or 0 for the file as a whole. */
  public int line() {
    return line;
  }
}
