package io.corral.manager.ca;

import io.corral.common.RandomIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A join token, {@code CRLTKN-1-<root CA digest>-<secret>}: the digest lets a joiner check the CA
 * it is handed before trusting it, the secret (which also decides the role: one token per role)
 * lets the CA admit the joiner. The digest is {@link RootCA#digestOf}'s {@code sha256:<64 hex>},
 * which contains no '-', so it is kept verbatim. Treat the whole token, and so {@link #toString()},
 * as a secret.
 */
public record JoinToken(String rootDigest, String secret) {

  public static final String PREFIX = "CRLTKN";
  public static final String VERSION = "1";
  public static final int SECRET_LENGTH = 25;

  private static final String FORMAT = PREFIX + "-" + VERSION + "-<digest>-<secret>";
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern SECRET = Pattern.compile("[0-9a-z]{" + SECRET_LENGTH + "}");

  /**
   * @throws IllegalArgumentException if the digest is not {@code sha256:<64 lower-case hex>} or the
   *     secret is not {@value #SECRET_LENGTH} lower-case base-36 characters
   */
  public JoinToken {
    Objects.requireNonNull(rootDigest, "rootDigest");
    Objects.requireNonNull(secret, "secret");
    if (!DIGEST.matcher(rootDigest).matches()) {
      throw new IllegalArgumentException(
          "invalid join token: the root CA digest must be sha256:<64 hex "
              + "digits>, got '"
              + abbreviate(rootDigest)
              + "'; expected "
              + FORMAT);
    }
    if (!SECRET.matcher(secret).matches()) {
      // The secret itself is never echoed: the text may be a real token with a typo.
      throw new IllegalArgumentException(
          "invalid join token: the secret must be "
              + SECRET_LENGTH
              + " characters 0-9a-z, got "
              + secret.length()
              + " characters; expected "
              + FORMAT);
    }
  }

  /**
   * A new token for the root with the given digest ({@link RootCA#digestOf}), with a fresh random
   * secret.
   */
  public static JoinToken generate(String rootDigest) {
    return new JoinToken(rootDigest, RandomIds.base36(SECRET_LENGTH));
  }

  /**
   * Reads a token as a user typed or pasted it (surrounding white space is ignored).
   *
   * @throws IllegalArgumentException saying which part is wrong; the message never contains the
   *     secret
   */
  public static JoinToken parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("invalid join token: it is empty; expected " + FORMAT);
    }
    String[] parts = text.strip().split("-", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "invalid join token: expected "
              + FORMAT
              + " (4 parts separated by"
              + " '-'), got "
              + parts.length
              + " part"
              + (parts.length == 1 ? "" : "s"));
    }
    if (!PREFIX.equals(parts[0])) {
      throw new IllegalArgumentException(
          "invalid join token: it must start with "
              + PREFIX
              + "-, got '"
              + abbreviate(parts[0])
              + "-'; expected "
              + FORMAT);
    }
    if (!VERSION.equals(parts[1])) {
      throw new IllegalArgumentException(
          "invalid join token: version '"
              + abbreviate(parts[1])
              + "' is not supported; expected "
              + FORMAT);
    }
    return new JoinToken(parts[2], parts[3]);
  }

  /** Whether this token names the given root CA certificate. */
  public boolean matchesRoot(X509Certificate root) {
    return rootDigest.equals(RootCA.digestOf(root));
  }

  /**
   * Whether the other token is the same token. The secrets are compared in constant time, so that
   * the time a refusal takes does not tell a guesser how many leading characters were right.
   */
  public boolean matches(JoinToken other) {
    if (other == null) {
      return false;
    }
    boolean sameSecret =
        MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.US_ASCII),
            other.secret.getBytes(StandardCharsets.US_ASCII));
    // The digest is public, so an ordinary comparison is fine; both are evaluated regardless.
    boolean sameRoot = rootDigest.equals(other.rootDigest);
    return sameSecret & sameRoot;
  }

  /** The token text, {@code CRLTKN-1-<digest>-<secret>}; a secret, keep it out of logs. */
  public String value() {
    return PREFIX + "-" + VERSION + "-" + rootDigest + "-" + secret;
  }

  /**
   * The token text, as {@link #value()}: what `swarm join-token` prints and `swarm join --token`
   * takes.
   */
  @Override
  public String toString() {
    return value();
  }

  private static String abbreviate(String text) {
    // Short, so that a mangled token never ends up whole in an error message.
    return text.length() <= 12 ? text : text.substring(0, 12) + "…";
  }
}
