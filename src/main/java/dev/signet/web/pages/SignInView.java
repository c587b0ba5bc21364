package dev.signet.web.pages;

import java.util.List;

public record SignInView(String tenant, String client, List<Choice> choices, Look look) {
    public record Choice(String name, String url) {}
}
