package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page on a phone (400 px) and on a wide screen (1400 px): slots without overlaps, the progress brought into view
 * after Generate, the used seed shown after a random run, history items that put their prompt, settings and reference
 * images back, deleting and clearing the history, and a form that survives a reload.
 */
@Tag("browser")
class WebPagePhoneTest {
    @Test void thePageWorksAtPhoneWidthAndTheHistoryIsUsable(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(WebPageBrowserTest.CHROMEDRIVER) && Files.isExecutable(WebPageBrowserTest.CHROMIUM),
                "chromium / chromium-driver not installed");
        Path content = Files.write(tmp.resolve("content.png"), TinyModels.image(40, 48, "png"));
        Path style = Files.write(tmp.resolve("style.png"), TinyModels.image(48, 40, "png"));
        try (UsoServer server = UsoServer.start(ServerSettings.local(tmp.resolve("data"), 0, 2), TinyModels.generation())) {
            WebDriver d = WebPageBrowserTest.chromium(tmp.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(90));
                d.get(server.uri().toString());
                wait.until(x -> !x.findElements(By.cssSelector("#preset-list .preset")).isEmpty());
                for (int width : new int[]{1400, 400}) {
                    PageLayout.width(d, width, 900);
                    PageLayout.check(d, "empty-" + width);
                }
                d.findElement(By.id("content-file")).sendKeys(content.toString());
                d.findElement(By.id("style1-file")).sendKeys(style.toString());
                d.findElement(By.id("style2-file")).sendKeys(style.toString());
                wait.until(x -> x.findElements(By.cssSelector(".slot.filled")).size() == 3);
                wait.until(x -> Boolean.TRUE.equals(WebPageBrowserTest.js(x, "return [...document.querySelectorAll('.slot-image')].every(i => i.complete && i.naturalWidth > 0);")));
                for (int width : new int[]{1400, 400, 360}) {
                    PageLayout.width(d, width, 900);
                    PageLayout.check(d, "filled-" + width);
                }

                // at 400 px: a random-seed run; the progress comes into view, the used seed is shown afterwards
                PageLayout.width(d, 400, 800);
                WebPageBrowserTest.type(d, "prompt", "A tiny test.");
                WebPageBrowserTest.type(d, "width", "32");
                WebPageBrowserTest.type(d, "height", "32");
                WebPageBrowserTest.type(d, "steps", "2");
                WebPageBrowserTest.type(d, "seed", "-1");
                WebPageBrowserTest.js(d, "window.scrollTo(0, 0);");
                d.findElement(By.id("generate")).click();
                wait.until(x -> PageLayout.inView(x, "progress"));
                wait.until(x -> x.findElement(By.id("progress-text")).getText().matches("Done in .* · seed \\d+"));
                Matcher m = Pattern.compile("seed (\\d+)").matcher(d.findElement(By.id("progress-text")).getText());
                assertTrue(m.find());
                String seed = m.group(1);
                wait.until(x -> x.findElement(By.id("result-settings")).getText().contains("seed: " + seed));
                wait.until(x -> x.findElements(By.cssSelector("#history-list figure[data-status=succeeded]")).size() == 1);
                assertTrue(d.findElement(By.cssSelector("#history-list figcaption")).getText().contains("seed " + seed));
                PageLayout.check(d, "done-400");

                // change the form, then click the history item: prompt, settings and the three references come back
                WebPageBrowserTest.type(d, "prompt", "Something else.");
                WebPageBrowserTest.type(d, "steps", "9");
                for (String key : new String[]{"content", "style1", "style2"}) d.findElement(By.cssSelector("#slot-" + key + " .slot-clear")).click();
                assertEquals(0, d.findElements(By.cssSelector(".slot.filled")).size());
                d.findElement(By.cssSelector("#history-list figure img")).click();
                wait.until(x -> "A tiny test.".equals(x.findElement(By.id("prompt")).getAttribute("value")));
                assertEquals("2", d.findElement(By.id("steps")).getAttribute("value"));
                assertEquals(seed, d.findElement(By.id("seed")).getAttribute("value"), "the used seed, to reproduce the image");
                wait.until(x -> x.findElements(By.cssSelector(".slot.filled")).size() == 3);

                // a reload keeps the form, images included
                WebPageBrowserTest.type(d, "prompt", "Kept across a reload.");
                d.navigate().refresh();
                wait.until(x -> "Kept across a reload.".equals(x.findElement(By.id("prompt")).getAttribute("value")));
                wait.until(x -> x.findElements(By.cssSelector(".slot.filled")).size() == 3);
                assertEquals("32", d.findElement(By.id("width")).getAttribute("value"));

                // delete the finished job (its image goes too), then a second one is cleared with the whole history
                wait.until(x -> x.findElements(By.cssSelector("#history-list figure[data-status=succeeded] .history-delete")).size() == 1);
                d.findElement(By.cssSelector("#history-list .history-delete")).click();
                wait.until(x -> x.findElements(By.cssSelector("#history-list figure")).isEmpty());
                try (var files = Files.list(tmp.resolve("data/images"))) {
                    assertEquals(0, files.count(), "the deleted job's image file is removed");
                }
                WebPageBrowserTest.type(d, "steps", "1");
                d.findElement(By.id("generate")).click();
                wait.until(x -> x.findElements(By.cssSelector("#history-list figure[data-status=succeeded]")).size() == 1);
                d.findElement(By.id("history-clear")).click();
                d.switchTo().alert().accept();
                wait.until(x -> x.findElements(By.cssSelector("#history-list figure")).isEmpty());
            } finally {
                d.quit();
            }
        }
    }
}
