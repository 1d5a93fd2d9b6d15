package org.fedcredit.participantnode.data;

/**
 * A data file is malformed. The message names the file, the line (1-based, the header is line 1),
 * the column where known, what is wrong and how to fix it.
 */
public final class DataFormatException extends DatasetException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  public DataFormatException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.file = file;
    this.line = line;
  }

  /** The file's path as given. */
  public String file() {
    return file;
  }

  /** 1-based line number, or 0 for the file as a whole. */
  public int line() {
    return line;
  }
}
