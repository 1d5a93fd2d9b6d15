package org.fedcredit.cli;

/**
 * Bad input the user can fix (an option, a file, a configuration). The CLI prints the message on
 * one line and exits with code 2.
 */
public final class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }
}
