package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page end to end in Debian's headless Chromium (chromium + chromium-driver; nothing is downloaded): fill the
 * form with a style image, generate, see progress and the result image, find it in the history.
 */
@Tag("browser")
class WebPageBrowserTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver"), CHROMIUM = Path.of("/usr/bin/chromium");

    @Test void generateWithAStyleImageInChromium(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM), "chromium / chromium-driver not installed");
        Path style = tmp.resolve("style.png");
        Files.write(style, TinyModels.image(48, 40, "png"));
        try (UsoServer server = UsoServer.start(ServerSettings.local(tmp.resolve("data"), 0, 2), TinyModels.generation())) {
            WebDriver driver = chromium(tmp.resolve("profile"));
            try {
                driver.get(server.uri().toString());
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
                wait.until(d -> !d.findElements(By.cssSelector("#preset-list .preset")).isEmpty());

                // a preset fills the prompt and the settings; then the size is made tiny for the tiny models
                driver.findElements(By.cssSelector("#preset-list .preset")).get(1).click();
                assertEquals("A cat sleeping on a chair.", driver.findElement(By.id("prompt")).getAttribute("value"));
                type(driver, "width", "32");
                type(driver, "height", "32");
                type(driver, "steps", "3");
                driver.findElement(By.id("random-seed")).click();
                driver.findElement(By.id("style1-file")).sendKeys(style.toString());
                wait.until(d -> d.findElement(By.id("slot-style1")).getAttribute("class").contains("filled"));

                // record every progress text and preview the page shows (the tiny run is quicker than polling)
                js(driver, """
                        window.__progress = []; window.__previews = 0;
                        new MutationObserver(() => window.__progress.push(document.getElementById('progress-text').textContent))
                          .observe(document.getElementById('progress-text'), {childList: true, characterData: true, subtree: true});
                        new MutationObserver(() => window.__previews++)
                          .observe(document.getElementById('preview'), {attributes: true, attributeFilter: ['src']});""");
                driver.findElement(By.id("generate")).click();

                wait.until(d -> Boolean.TRUE.equals(js(d, "const i = document.getElementById('result');"
                        + " return !i.hidden && i.complete && i.naturalWidth === 32;")));
                @SuppressWarnings("unchecked")
                List<String> progress = (List<String>) js(driver, "return window.__progress;");
                assertTrue(progress.stream().anyMatch(t -> t.startsWith("Step 1/3")), progress.toString());
                assertTrue(progress.stream().anyMatch(t -> t.startsWith("Done")), progress.toString());
                assertTrue(((Number) js(driver, "return window.__previews;")).intValue() >= 1, "a latent preview was shown");
                WebElement download = driver.findElement(By.id("download"));
                assertTrue(download.isDisplayed());
                assertTrue(download.getAttribute("href").contains("/image?download=1"), download.getAttribute("href"));
                assertTrue(driver.findElement(By.id("error")).getAttribute("hidden") != null, driver.findElement(By.id("error")).getText());
                wait.until(d -> d.findElement(By.id("result-settings")).getText().contains("mode: \"style\""));
                wait.until(d -> !d.findElements(By.cssSelector("#history-list figure[data-status=succeeded] img")).isEmpty());
            } finally {
                driver.quit();
            }
        }
    }

    static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static void type(WebDriver d, String id, String value) {
        WebElement e = d.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    static Object js(WebDriver d, String script) { return ((JavascriptExecutor) d).executeScript(script); }
}
