package dev.orch.route;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a PEM certificate chain and a PKCS#8 private key with the JDK alone. */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    /** A certificate chain (leaf first) and its key. */
    record KeyPair(List<X509Certificate> chain, PrivateKey key) {}

    private PemFiles() {}

    static KeyPair read(Path certificateFile, Path privateKeyFile) throws IOException {
        List<X509Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificateFile)))
                    .stream().map(c -> (X509Certificate) c).toList();
        } catch (CertificateException e) {
            throw new IOException(certificateFile + ": not a PEM certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + ": no certificate in it");
        }
        return new KeyPair(chain, key(privateKeyFile, chain.get(0).getPublicKey().getAlgorithm()));
    }

    private static PrivateKey key(Path file, String algorithm) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (Exception e) {
                    throw new IOException(file + ": not a " + algorithm + " PKCS#8 private key matching the certificate: " + e.getMessage(), e);
                }
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new IOException(file + ": " + type + " is not supported, convert it to PKCS#8 (BEGIN PRIVATE KEY) with "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName());
            }
        }
        throw new IOException(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
    }
}
