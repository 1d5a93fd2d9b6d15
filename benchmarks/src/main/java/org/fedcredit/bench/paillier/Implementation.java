package org.fedcredit.bench.paillier;

/** The two Paillier implementations compared, with the names they carry in the JSON output. */
public enum Implementation {
  FEDCREDIT("fedcredit"),
  JAVALLIER("javallier");

  private final String jsonName;

  Implementation(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }
}
