package dev.signet.web.pages;

import java.util.List;

/**
 * OAuth 2.0 Form Post Response Mode §2: the authorization response (a code or an error) as hidden fields of a form
 * that posts to the client's redirect URI ({@code action}); the page's one script submits it as it loads, its
 * button does without script.
 */
public record FormPostView(String action, List<Field> fields) {

    public FormPostView {
        fields = List.copyOf(fields);
    }

    /** One response parameter. */
    public record Field(String name, String value) {}

    /**
     * The page's only script, byte for byte as the template has it: its CSP allows exactly this text by its hash
     * (CSP3 §2.3.1 hash-source), so no other script, inline or injected, can run there.
     */
    public static final String SCRIPT = "document.forms[0].submit()";
}
