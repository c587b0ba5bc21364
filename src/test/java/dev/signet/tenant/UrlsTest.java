package dev.signet.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.tenant.Urls.Path;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one URL builder (postmortem 002). Besides examples, the property tests loop over fixed lists
 * of awkward issuers, redirect URIs and values: every URL built must parse back, with
 * java.net.URI, into exactly the parts it was built from.
 */
class UrlsTest {

    /** Issuers: IPv6 literals, extreme ports, paths with encoded slashes and non-ASCII. */
    static final List<String> ISSUERS = List.of(
            "https://id.example.com",
            "https://id.example.com:1",
            "https://id.example.com:65535",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:8080",
            "https://[2001:db8::1]",
            "https://[2001:db8::1]:65535/tenant",
            "https://xn--bcher-kva.example/t",
            "https://id.example.com/tenants/a%2Fb",
            "https://id.example.com/t/%E2%9C%93",
            "https://sub.sub.example.co.uk/a/b/c",
            "https://id.example.com/~alice");

    /** Redirect URIs an application may register: with a query to keep, a fragment to drop, no host. */
    static final List<String> REDIRECTS = List.of(
            "https://app.example.com/cb",
            "https://app.example.com/cb?",
            "https://app.example.com/cb?tenant=a",
            "https://app.example.com/cb?tenant=a&",
            "https://app.example.com/cb?a=%26&b=%3D%20",
            "https://app.example.com/cb#section",
            "https://app.example.com/cb?x=1#frag?y=2",
            "https://app.example.com/a%2Fb/cb",
            "http://127.0.0.1:1/cb",
            "http://[::1]:65535/cb",
            "com.example.app:/oauth2redirect");

    /** Values (and keys) with every character that means something in a URL, and some that need UTF-8. */
    static final List<String> VALUES = List.of(
            "",
            "plain",
            "a b",
            "a+b",
            "plus+and space",
            "a&b=c",
            "=",
            "&",
            "#frag",
            "?q=1",
            "/path/x",
            "%",
            "%2F",
            "%25",
            "100%",
            "é",
            "日本語",
            "😀",
            "👩‍💻 dev",
            "\"quoted\" 'single'",
            "<script>",
            "line\nbreak\ttab",
            "~*._-",
            "https://evil.example.com/?x=1#y",
            "[::1]:80",
            "semi;colon,comma",
            "back\\slash",
            "{}|^`",
            "a\u0000b");

    static URI parse(URI built) {
        URI reparsed = URI.create(built.toString());
        assertThat(reparsed).isEqualTo(built);
        return reparsed;
    }

    /** The query as decoded key/value pairs, in order (empty pieces, like a trailing &, skipped). */
    static List<Map.Entry<String, String>> pairs(String rawQuery) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (rawQuery == null) {
            return out;
        }
        for (String piece : rawQuery.split("&")) {
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String key = eq < 0 ? piece : piece.substring(0, eq);
            String value = eq < 0 ? "" : piece.substring(eq + 1);
            out.add(Map.entry(decode(key), decode(value)));
        }
        return out;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static Map<String, String> paramsFor(String value) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("state", value);
        params.put("k" + value, value + "v");
        params.put("iss", "https://id.example.com");
        return params;
    }

    @Test
    void withQueryWhenBaseHasQueryThenKeptAndParamsAppended() {
        URI built = Urls.withQuery(URI.create("https://app.example.com/cb?tenant=a"), Map.of("code", "abc"));

        assertThat(built).hasToString("https://app.example.com/cb?tenant=a&code=abc");
    }

    @Test
    void withQueryWhenBaseHasNoQueryThenQueryStartsWithQuestionMark() {
        URI built = Urls.withQuery(URI.create("https://app.example.com/cb"), Map.of("code", "abc"));

        assertThat(built).hasToString("https://app.example.com/cb?code=abc");
    }

    @Test
    void withQueryWhenValueHasReservedCharactersThenPercentEncoded() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("state", "a&b=c d#e");
        params.put("name", "Zoë 😀");
        params.put("a+b", "1+1");

        URI built = Urls.withQuery(URI.create("https://app.example.com/cb"), params);

        assertThat(built.getRawQuery()).isEqualTo("state=a%26b%3Dc%20d%23e&name=Zo%C3%AB%20%F0%9F%98%80&a%2Bb=1%2B1");
        assertThat(built.getRawFragment()).isNull();
        assertThat(pairs(parse(built).getRawQuery())).containsExactlyElementsOf(params.entrySet());
    }

    @Test
    void withQueryWhenBaseHasFragmentThenFragmentDropped() {
        URI built = Urls.withQuery(URI.create("https://app.example.com/cb?x=1#frag"), Map.of("code", "abc"));

        assertThat(built).hasToString("https://app.example.com/cb?x=1&code=abc");
        assertThat(built.getRawFragment()).isNull();
    }

    @Test
    void withQueryWhenBaseEndsWithQuestionMarkOrAmpersandThenNoEmptyPair() {
        assertThat(Urls.withQuery(URI.create("https://app.example.com/cb?"), Map.of("code", "abc")))
                .hasToString("https://app.example.com/cb?code=abc");
        assertThat(Urls.withQuery(URI.create("https://app.example.com/cb?x=1&"), Map.of("code", "abc")))
                .hasToString("https://app.example.com/cb?x=1&code=abc");
    }

    @Test
    void withQueryWhenNoParamsThenBaseWithoutFragment() {
        assertThat(Urls.withQuery(URI.create("https://app.example.com/cb?x=1#f"), Map.of()))
                .hasToString("https://app.example.com/cb?x=1");
    }

    @Test
    void atWhenSegmentHasReservedCharactersThenEncodedAsOneSegment() {
        Urls urls = new Urls(URI.create("https://id.example.com/t"));

        URI built = urls.at(Path.CALLBACK, "a/b c?d#e");

        assertThat(built).hasToString("https://id.example.com/t/callback/a%2Fb%20c%3Fd%23e");
        assertThat(built.getRawQuery()).isNull();
        assertThat(built.getRawFragment()).isNull();
    }

    @Test
    void atWhenSegmentAndQueryThenBoth() {
        Urls urls = new Urls(URI.create("https://id.example.com"));

        URI built = urls.at(Path.CALLBACK, "corp", Map.of("state", "s t"));

        assertThat(built).hasToString("https://id.example.com/callback/corp?state=s%20t");
    }

    @Test
    void atWhenPathOnlyThenIssuerPlusPath() {
        Urls urls = new Urls(URI.create("https://id.example.com/t"));

        assertThat(urls.at(Path.DISCOVERY)).hasToString("https://id.example.com/t/.well-known/openid-configuration");
        assertThat(urls.at(Path.HOME)).hasToString("https://id.example.com/t/");
        assertThat(urls.at(Path.AUTHORIZE, Map.of("a", "b"))).hasToString("https://id.example.com/t/authorize?a=b");
    }

    @Test
    void constructorWhenIssuerHasTrailingSlashQueryOrFragmentThenRejected() {
        for (String bad : List.of(
                "https://id.example.com/",
                "https://id.example.com/t/",
                "https://id.example.com?x=1",
                "https://id.example.com/t?",
                "https://id.example.com#f",
                "https://id.example.com#",
                "/relative/issuer",
                "id.example.com")) {
            assertThatThrownBy(() -> new Urls(URI.create(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("issuer must be absolute, without trailing slash, query or fragment");
        }
    }

    @Test
    void discoveryOfWhenIssuerHasPathOrTrailingSlashThenWellKnownAppendedToPath() {
        assertThat(Urls.discoveryOf(URI.create("https://login.example.com/")))
                .hasToString("https://login.example.com/.well-known/openid-configuration");
        assertThat(Urls.discoveryOf(URI.create("https://login.example.com/tenant/v2.0")))
                .hasToString("https://login.example.com/tenant/v2.0/.well-known/openid-configuration");
    }

    @Test
    void atWhenAnyIssuerAndAnyValueThenQueryRoundTripsThroughUriParsing() {
        int checked = 0;
        for (String issuerText : ISSUERS) {
            URI issuer = URI.create(issuerText);
            Urls urls = new Urls(issuer);
            assertThat(urls.issuer()).isEqualTo(issuer);
            for (String value : VALUES) {
                Map<String, String> params = paramsFor(value);

                URI built = parse(urls.at(Path.AUTHORIZE, params));

                String what = issuerText + " with " + value;
                assertThat(built.getScheme()).as(what).isEqualTo(issuer.getScheme());
                assertThat(built.getRawAuthority()).as(what).isEqualTo(issuer.getRawAuthority());
                assertThat(built.getHost()).as(what).isEqualTo(issuer.getHost());
                assertThat(built.getPort()).as(what).isEqualTo(issuer.getPort());
                assertThat(built.getRawPath()).as(what).isEqualTo(issuer.getRawPath() + "/authorize");
                assertThat(built.getRawFragment()).as(what).isNull();
                assertThat(pairs(built.getRawQuery())).as(what).containsExactlyElementsOf(params.entrySet());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(ISSUERS.size() * VALUES.size());
    }

    @Test
    void atWhenSegmentIsEmptyOrDotThenRejected() {
        Urls urls = new Urls(URI.create("https://id.example.com"));
        for (String bad : List.of("", ".", "..")) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> urls.at(Path.CALLBACK, bad));
        }
    }

    @Test
    void atWhenAnyIssuerAndAnySegmentThenOneSegmentThatDecodesBack() {
        for (String issuerText : ISSUERS) {
            URI issuer = URI.create(issuerText);
            Urls urls = new Urls(issuer);
            for (String segment : VALUES) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    continue; // rejected, see atWhenSegmentIsEmptyOrDotThenRejected
                }
                URI built = parse(urls.at(Path.CALLBACK, segment));

                String what = issuerText + " with " + segment;
                String prefix = issuer.getRawPath() + "/callback/";
                assertThat(built.getRawAuthority()).as(what).isEqualTo(issuer.getRawAuthority());
                assertThat(built.getRawPath()).as(what).startsWith(prefix);
                String encoded = built.getRawPath().substring(prefix.length());
                assertThat(encoded).as(what).doesNotContain("/", "?", "#", "+");
                assertThat(decode(encoded)).as(what).isEqualTo(segment);
                assertThat(built.getRawQuery()).as(what).isNull();
                assertThat(built.getRawFragment()).as(what).isNull();
            }
        }
    }

    @Test
    void withQueryWhenAnyRedirectAndAnyValueThenExistingQueryKeptFragmentDroppedValuesRoundTrip() {
        for (String redirectText : REDIRECTS) {
            URI redirect = URI.create(redirectText);
            String withoutFragment = redirectText.contains("#") ? redirectText.substring(0, redirectText.indexOf('#')) : redirectText;
            for (String value : VALUES) {
                Map<String, String> params = paramsFor(value);

                URI built = parse(Urls.withQuery(redirect, params));

                String what = redirectText + " with " + value;
                assertThat(built.toString()).as(what).startsWith(withoutFragment);
                assertThat(built.getScheme()).as(what).isEqualTo(redirect.getScheme());
                assertThat(built.getRawAuthority()).as(what).isEqualTo(redirect.getRawAuthority());
                assertThat(built.getRawPath()).as(what).isEqualTo(redirect.getRawPath());
                assertThat(built.getRawFragment()).as(what).isNull();
                List<Map.Entry<String, String>> expected = new ArrayList<>(pairs(redirect.getRawQuery()));
                expected.addAll(params.entrySet());
                assertThat(pairs(built.getRawQuery())).as(what).containsExactlyElementsOf(expected);
            }
        }
    }
}
