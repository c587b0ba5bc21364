package dev.signet.web;

/** Where an error is answered: a page for browsers, or JSON for the token and userinfo endpoints and the management listener. */
public enum Surface {
    PAGE,
    TOKEN,
    USERINFO,
    MANAGEMENT
}
