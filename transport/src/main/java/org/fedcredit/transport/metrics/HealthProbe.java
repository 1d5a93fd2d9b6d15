package org.fedcredit.transport.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A container health check command for images without a shell or curl: requests a node's {@code
 * /health} and exits 0 on HTTP 200, 1 otherwise (Docker's healthy/unhealthy), printing one line
 * with the status and the response (Docker keeps it in {@code docker inspect}).
 *
 * <pre>
 * java -cp @/app/jib-classpath-file org.fedcredit.transport.metrics.HealthProbe \
 *     http://127.0.0.1:9464/health [timeout-seconds, default 5]
 * </pre>
 *
 * Exit code 2: bad arguments. Uses only {@code java.base}, so it starts in a fraction of a second.
 */
public final class HealthProbe {

  /** Exit code of a healthy node. */
  public static final int HEALTHY = 0;

  /** Exit code of an unhealthy or unreachable node. */
  public static final int UNHEALTHY = 1;

  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  private static final int MAX_BODY_CHARS = 2000;

  private HealthProbe() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Probes and returns the exit code; the one-line outcome goes to {@code out}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 2) {
      err.println("usage: HealthProbe <http://host:port/health> [timeout-seconds, default 5]");
      return USAGE;
    }
    URL url;
    int timeoutMillis;
    try {
      URI uri = URI.create(args[0]);
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http:// URL with a host");
      }
      url = uri.toURL();
      timeoutMillis = args.length == 2 ? Math.multiplyExact(Integer.parseInt(args[1]), 1000) : 5000;
      if (timeoutMillis <= 0) {
        throw new IllegalArgumentException("the timeout must be a positive number of seconds");
      }
    } catch (IllegalArgumentException | ArithmeticException | IOException e) {
      err.println("HealthProbe: bad argument " + String.join(" ", args) + ": " + e.getMessage());
      return USAGE;
    }
    try {
      HttpURLConnection connection = (HttpURLConnection) url.openConnection();
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestProperty("Accept", "application/json");
      int status = connection.getResponseCode();
      InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = body == null ? "" : read(body);
      connection.disconnect();
      boolean healthy = status == 200;
      out.println((healthy ? "UP" : "DOWN") + ": HTTP " + status + " from " + url + " " + text);
      return healthy ? HEALTHY : UNHEALTHY;
    } catch (IOException e) {
      out.println("DOWN: cannot reach " + url + ": " + e);
      return UNHEALTHY;
    }
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      String text = new String(in.readNBytes(MAX_BODY_CHARS * 4), StandardCharsets.UTF_8);
      text = text.replace('\n', ' ').replace('\r', ' ').strip();
      return text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) + "..." : text;
    }
  }
}
