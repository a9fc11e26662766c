package org.uso4j.app.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Layout checks of the page at one window width, on element boxes (getBoundingClientRect), not by eye: nothing
 * wider than the window, and inside every image slot the title, the × button, the thumbnail and the hint do not
 * overlap. A screenshot is kept under target/screenshots for whoever wants to look.
 */
final class PageLayout {
    private PageLayout() {}

    /** Resizes the window so that the page's viewport is {@code width} CSS pixels wide. */
    static void width(WebDriver d, int width, int height) {
        d.manage().window().setSize(new Dimension(width, height));
        long inner = ((Number) WebPageBrowserTest.js(d, "return window.innerWidth;")).longValue();
        if (inner != width) d.manage().window().setSize(new Dimension(width + (int) (width - inner), height));
    }

    static void check(WebDriver d, String name) throws Exception {
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
        Number inner = (Number) WebPageBrowserTest.js(d, "return window.innerWidth;");
        Number scroll = (Number) WebPageBrowserTest.js(d, "return document.documentElement.scrollWidth;");
        assertTrue(scroll.intValue() <= inner.intValue(), name + ": the page is " + scroll + " px wide in a " + inner + " px window");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> overlaps = (List<Map<String, Object>>) WebPageBrowserTest.js(d, """
                const box = (e) => { if (!e || e.hidden || e.offsetParent === null) return null; const r = e.getBoundingClientRect();
                  return r.width && r.height ? r : null; };
                // a text's own box (its glyphs), not its element's padding box
                const text = (e) => { const b = box(e); if (!b) return null; const g = document.createRange(); g.selectNodeContents(e);
                  const r = g.getBoundingClientRect(); return r.width && r.height ? r : null; };
                const cross = (a, b) => a && b && a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
                const found = [];
                for (const slot of document.querySelectorAll('.slot')) {
                  const s = box(slot), parts = {title: text(slot.querySelector('.slot-title')), clear: box(slot.querySelector('.slot-clear')),
                    image: box(slot.querySelector('.slot-image')), hint: text(slot.querySelector('.slot-hint'))};
                  const names = Object.keys(parts);
                  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++)
                    if (cross(parts[names[i]], parts[names[j]])) found.push({slot: slot.id, a: names[i], b: names[j]});
                  for (const n of names) if (parts[n] && (parts[n].left < s.left - 0.5 || parts[n].right > s.right + 0.5))
                    found.push({slot: slot.id, a: n, b: 'slot edge'});
                }
                const beta = box(document.querySelector('.slot-title .beta')), title = box(document.querySelector('#slot-style2 .slot-title'));
                if (beta && title && (beta.bottom > title.bottom + 0.5 || beta.right > title.right + 0.5)) found.push({slot: 'slot-style2', a: 'beta', b: 'title'});
                return found;""");
        assertTrue(overlaps.isEmpty(), name + ": overlapping boxes " + overlaps);
    }

    /** True when the element is entirely inside the viewport. */
    static boolean inView(WebDriver d, String id) {
        return Boolean.TRUE.equals(WebPageBrowserTest.js(d, "const r = document.getElementById('" + id + "').getBoundingClientRect();"
                + " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;"));
    }
}
