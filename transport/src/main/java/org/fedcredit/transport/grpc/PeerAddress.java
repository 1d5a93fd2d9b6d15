package org.fedcredit.transport.grpc;

/**
 * Where a party's node listens for gRPC.
 *
 * @param host a DNS name or IP literal, as written in the peer's certificate SAN
 * @param port 1–65535
 */
public record PeerAddress(String host, int port) {

  public PeerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("peer host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer port must be in 1..65535, was " + port);
    }
  }

  /** Parses {@code host:port} (an IPv6 literal in brackets: {@code [::1]:7001}). */
  public static PeerAddress parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "peer address '" + text + "' is not host:port (e.g. tax-node.example.org:7001)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new PeerAddress(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "peer address '" + text + "': port '" + text.substring(colon + 1) + "' is not a number");
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
