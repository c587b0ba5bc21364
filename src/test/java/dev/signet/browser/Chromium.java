package dev.signet.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Debian's Chromium driven by Playwright, headless: one per test class ({@code @BeforeAll}, about
 * 1.3 s to start), a fresh {@link BrowserContext} (cookies, history) per test through
 * {@link #newPage}. Never downloads a browser: {@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1} (set here
 * and in surefire) and the system's {@code /usr/bin/chromium} (the CI installs it).
 *
 * <p>Screenshots land in {@code target/screenshots/<test>-<step>.png}, a build artifact for people
 * to look at; nothing asserts on pixels.
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("SIGNET_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Fail a step in seconds, not Playwright's default 30 s: every page here is local. */
    private static final double TIMEOUT_MS = 10_000;

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does");
        }
        Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser b = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync")));
            return new Chromium(pw, b);
        } catch (RuntimeException e) {
            pw.close();
            throw e;
        }
    }

    /** A page in a new browser context: no cookies or history from another test. */
    Page newPage() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(900, 700));
        context.setDefaultTimeout(TIMEOUT_MS);
        context.setDefaultNavigationTimeout(TIMEOUT_MS);
        return context.newPage();
    }

    /** Saves what the user sees now as {@code target/screenshots/<test>-<step>.png}. */
    static void screenshot(Page page, String test, String step) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(test + "-" + step + ".png")).setFullPage(true));
    }

    /**
     * Saves {@code <test method>-failed.png} when a test fails, before {@code @AfterEach} closes its
     * page: {@code @RegisterExtension final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);}
     */
    record OnFailure(Supplier<Page> page) implements AfterTestExecutionCallback {
        @Override
        public void afterTestExecution(ExtensionContext context) {
            Page p = page.get();
            if (context.getExecutionException().isPresent() && p != null && !p.isClosed()) {
                screenshot(p, context.getRequiredTestMethod().getName(), "failed");
            }
        }
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
