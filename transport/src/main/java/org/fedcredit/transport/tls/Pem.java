package org.fedcredit.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM files of certificates and PKCS#8 keys, read and written with BouncyCastle. */
final class Pem {

  /** One provider instance, not registered globally (we do not change the JVM's providers). */
  static final Provider BC = new BouncyCastleProvider();

  private Pem() {}

  static X509Certificate readCertificate(Path file, String what) {
    Object o = readObject(file, what);
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new TlsSetupException(
          what + " " + file + ": no PEM CERTIFICATE block found (is it a certificate file?)");
    }
    try {
      return new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
    } catch (CertificateException e) {
      throw new TlsSetupException(what + " " + file + ": " + e.getMessage(), e);
    }
  }

  static PrivateKey readPrivateKey(Path file, String what) {
    Object o = readObject(file, what);
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
    } catch (IOException e) {
      throw new TlsSetupException(what + " " + file + ": " + e.getMessage(), e);
    }
    throw new TlsSetupException(
        what + " " + file + ": no PEM PRIVATE KEY block found (is it a key file?)");
  }

  private static Object readObject(Path file, String what) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      Object o = parser.readObject();
      if (o == null) {
        throw new TlsSetupException(what + " " + file + ": the file holds no PEM block");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      if (e instanceof TlsSetupException t) {
        throw t;
      }
      throw new TlsSetupException(what + " " + file + ": " + describe(e), e);
    }
  }

  /** A short reason for an I/O failure, without the path repeated. */
  static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "file does not exist";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "file already exists";
    }
    String m = e.getMessage();
    if (m == null) {
      return "cannot be parsed";
    }
    // BouncyCastle nests causes as "XException: problem ...: java.lang.YException: detail"; keep
    // the words, drop the class names, so the one-line message reads as a sentence.
    return m.replaceAll("(?:[a-z]+\\.)*[A-Z][A-Za-z]*Exception: ", "");
  }

  static String encode(Object certificateOrKey) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (certificateOrKey instanceof PrivateKey key) {
        w.writeObject(new JcaPKCS8Generator(key, null));
      } else {
        w.writeObject(certificateOrKey);
      }
    } catch (IOException e) {
      throw new TlsSetupException("cannot encode PEM: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /** Writes a new file; never overwrites. Keys are created with mode 600 where POSIX applies. */
  static void writeNew(Path file, String pem, boolean secret) {
    try {
      if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w =
            Files.newBufferedWriter(
                file, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING)) {
          w.write(pem);
        }
      } else {
        Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
      }
    } catch (IOException e) {
      throw new TlsSetupException("cannot write " + file + ": " + describe(e), e);
    }
  }

  /** Refuses to overwrite: every target must be absent before anything is written. */
  static void requireAbsent(Set<Path> files, String hint) {
    for (Path f : files) {
      if (Files.exists(f)) {
        throw new TlsSetupException("refusing to overwrite " + f + ": it already exists; " + hint);
      }
    }
  }

  /** The subject CN of a certificate, or empty text when it has none. */
  static String commonName(X509Certificate cert) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] cn = name.getRDNs(BCStyle.CN);
    return cn.length == 0 ? "" : IETFUtils.valueToString(cn[0].getFirst().getValue());
  }
}
