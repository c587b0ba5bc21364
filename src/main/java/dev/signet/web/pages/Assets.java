package dev.signet.web.pages;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Static assets, content-hashed: the stylesheet is served as {@code /assets/signet.<hash>.css}
 * with a year-long immutable cache, and pages link that exact name. A deploy or rollback changes
 * the name whenever the content changes, so no browser or edge cache can serve an old stylesheet
 * with a new page (postmortem 002: a rollback slowed by cached pages).
 */
public final class Assets {

    /** The one stylesheet, read from the jar once. */
    public static final Assets STYLESHEET = load("/assets/signet.css", "signet", "css");

    private final String name;
    private final byte[] bytes;
    private final String contentType;

    private Assets(String name, byte[] bytes, String contentType) {
        this.name = name;
        this.bytes = bytes;
        this.contentType = contentType;
    }

    private static Assets load(String resource, String base, String ext) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the jar");
            }
            byte[] b = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
            return new Assets(base + "." + hash + "." + ext, b, "text/css; charset=utf-8");
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot load " + resource, e);
        }
    }

    /** The content-hashed file name, e.g. {@code signet.3f2a….css}. */
    public String name() {
        return name;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String contentType() {
        return contentType;
    }
}
