package dev.signet.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** No original value that identifies a person or grants access survives {@link Synthetic}; shapes and types do. */
class SyntheticTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A realistic token response plus the userinfo of the same sign-in (values as Google and GitHub send them). */
    static final String TOKEN = """
            {"access_token":"ya29.a0AfB_byC3xTq9LmZ2kR7vW4nP","token_type":"Bearer","expires_in":3599,
             "refresh_token":"1//0gHk3XyZ-aBcDeFgHiJkLmNoPqRsTuV","scope":"openid email profile",
             "id_token":"eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYzEyMyJ9.eyJzdWIiOiIxMDk4NzY1NDMyMTAifQ.c2lnbmF0dXJlLWJ5dGVz"}
            """;
    static final String USERINFO = """
            {"sub":"109876543210","email":"jane.doe@corp.example","email_verified":true,"name":"Jane Doe",
             "given_name":"Jane","family_name":"Doe","picture":"https://lh3.googleusercontent.com/a/ACg8ocJx",
             "login":"janedoe42","id":58231977,"node_id":"MDQ6VXNlcjU4MjMxOTc3","hd":"corp.example",
             "emails":[{"email":"jd@gmail.com","verified":false,"primary":false}],
             "iss":"https://accounts.google.com","aud":"signet-client","exp":1764412345,
             "oid":"3f2a9c4e-7b1d-4e8a-9f00-1c2d3e4f5a6b","nonce":"n-0S6_WzA2Mj","at_hash":"HK6E_P6Dh8Y93mRNtsDB1Q"}
            """;
    static final List<String> ORIGINALS = List.of("ya29.a0AfB_byC3xTq9LmZ2kR7vW4nP", "1//0gHk3XyZ-aBcDeFgHiJkLmNoPqRsTuV",
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYzEyMyJ9", "c2lnbmF0dXJlLWJ5dGVz", "109876543210", "jane.doe", "Jane", "Doe",
            "googleusercontent", "ACg8ocJx", "janedoe42", "58231977", "MDQ6VXNlcjU4MjMxOTc3", "jd@gmail.com", "gmail",
            "3f2a9c4e-7b1d-4e8a-9f00-1c2d3e4f5a6b", "n-0S6_WzA2Mj", "HK6E_P6Dh8Y93mRNtsDB1Q");

    @Test
    void copyWhenRealisticSampleThenNoOriginalValueSurvivesAnywhere() {
        Synthetic s = new Synthetic(List.of("corp.example"));
        String stored = JSON.writeValueAsString(s.copy(JSON.readTree(TOKEN))) + JSON.writeValueAsString(s.copy(JSON.readTree(USERINFO)));

        assertThat(ORIGINALS).allSatisfy(original -> assertThat(stored).doesNotContain(original));
    }

    @Test
    void copyWhenValuesHaveShapesThenShapesTypesAndProtocolFactsAreKept() {
        Synthetic s = new Synthetic(List.of("corp.example"));
        JsonNode token = s.copy(JSON.readTree(TOKEN));
        JsonNode info = s.copy(JSON.readTree(USERINFO));

        // protocol facts replay needs: kept
        assertThat(token.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.path("expires_in").asInt()).isEqualTo(3599);
        assertThat(token.path("scope").asString()).isEqualTo("openid email profile");
        assertThat(info.path("email_verified").asBoolean()).isTrue();
        assertThat(info.path("emails").get(0).path("verified").isBoolean()).isTrue();
        assertThat(info.path("iss").asString()).isEqualTo("https://accounts.google.com");
        assertThat(info.path("hd").asString()).isEqualTo("corp.example");
        // shapes: an email stays an email (configured domain kept, others example.com), a JWT JWT-shaped, a number a number
        assertThat(info.path("email").asString()).matches("user\\d+@corp\\.example");
        assertThat(info.path("emails").get(0).path("email").asString()).matches("user\\d+@example\\.com");
        assertThat(token.path("id_token").asString()).matches("eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(info.path("id").isIntegralNumber()).isTrue();
        assertThat(info.path("id").asString()).hasSize(8);
        assertThat(info.path("oid").asString()).matches("[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}");
        assertThat(info.path("picture").asString()).startsWith("https://example.com/");
        assertThat(info.path("name").asString()).matches("[A-Z][a-z]{3} [A-Z][a-z]{2}");
    }

    @Test
    void copyWhenSameValueTwiceInOneExchangeThenSameSyntheticValue() {
        Synthetic s = new Synthetic(List.of());
        JsonNode a = s.copy(JSON.readTree("{\"sub\":\"109876543210\"}"));
        JsonNode b = s.copy(JSON.readTree("{\"sub\":\"109876543210\",\"user_id\":\"109876543210\"}"));

        assertThat(a.path("sub")).isEqualTo(b.path("sub")).isEqualTo(b.path("user_id"));
        assertThat(a.path("sub").asString()).matches("\\d{12}").isNotEqualTo("109876543210");
    }

    @Test
    void textWhenErrorDescriptionQuotesAnEmailThenTheEmailIsReplaced() {
        Synthetic s = new Synthetic(List.of());
        String out = s.text("User jane.doe@corp.example is not assigned to the application");

        assertThat(out).doesNotContain("jane.doe").doesNotContain("corp.example").contains("is not assigned to the application");
    }

    /** GitHub's /user {@code id} is a number; the subject mapped from it is its decimal string: both get the same digits. */
    @Test
    void copyWhenNumberAndItsDecimalStringThenSameSyntheticDigits() {
        Synthetic s = new Synthetic(List.of());
        JsonNode user = s.copy(JSON.readTree("{\"id\":58231977,\"login\":\"octo\"}"));
        String subject = s.string("58231977");

        assertThat(user.path("id").isIntegralNumber()).isTrue();
        assertThat(user.path("id").asString()).isEqualTo(subject).matches("[1-9]\\d{7}").isNotEqualTo("58231977");
        Synthetic other = new Synthetic(List.of()); // the string first, then the number
        assertThat(other.string("4242")).isEqualTo(other.copy(JSON.readTree("{\"id\":4242}")).path("id").asString());
    }

    /** A connection's public names (the GitHub organisations and teams it allows) are kept; other organisations are not. */
    @Test
    void copyWhenPublicNamesThenKeptCaseInsensitivelyAndOthersReplaced() {
        Synthetic s = new Synthetic(List.of(), List.of("Acme", "platform"));
        JsonNode orgs = s.copy(JSON.readTree("[{\"login\":\"acme\",\"id\":1},{\"login\":\"secret-club\",\"id\":2}]"));
        JsonNode teams = s.copy(JSON.readTree("[{\"slug\":\"platform\",\"organization\":{\"login\":\"acme\"}}]"));

        assertThat(orgs.get(0).path("login").asString()).isEqualTo("acme");
        assertThat(orgs.get(1).path("login").asString()).isNotEqualTo("secret-club").hasSize("secret-club".length());
        assertThat(teams.get(0).path("slug").asString()).isEqualTo("platform");
        assertThat(teams.get(0).path("organization").path("login").asString()).isEqualTo("acme");
    }

    /** Callback values beyond iss/error (Sign in with Apple's {@code user} JSON) are kept as JSON with synthetic values. */
    @Test
    void callbackValueWhenJsonThenJsonWithNoOriginalValue() {
        Synthetic s = new Synthetic(List.of());
        String user = Recorder.callbackValue("user",
                "{\"name\":{\"firstName\":\"Jane\",\"lastName\":\"Realname\"},\"email\":\"jane@privaterelay.appleid.com\"}", s);
        JsonNode json = JSON.readTree(user);

        assertThat(json.path("name").path("firstName").asString()).hasSize(4).isNotEqualTo("Jane");
        assertThat(json.path("email").asString()).matches("user\\d+@example\\.com");
        assertThat(user).doesNotContain("Jane").doesNotContain("Realname").doesNotContain("privaterelay");
        assertThat(Recorder.callbackValue("iss", "https://appleid.apple.com", s)).isEqualTo("https://appleid.apple.com");
        assertThat(Recorder.callbackValue("session_hint", "abc123", s)).isNotEqualTo("abc123").hasSize(6);
    }
}
