package dev.signet.web.pages;

import java.util.Map;

public record DemoView(Map<String, Object> idTokenClaims, String userinfo, String againUrl, String homeUrl) {}
