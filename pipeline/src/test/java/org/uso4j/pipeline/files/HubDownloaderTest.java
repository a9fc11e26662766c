package org.uso4j.pipeline.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.files.DownloadResult.Status;

class HubDownloaderTest {
    static final String GATED = "black-forest-labs/FLUX.1-dev";
    static final HubDownloader.Options FAST = new HubDownloader.Options(4, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(10), false);

    @TempDir Path models;
    FakeHub hub;

    @AfterEach void stop() {
        if (hub != null) hub.close();
    }

    static WeightFile lfsFile(String repo, String name, int size) {
        return new WeightFile(repo, "main", "sub/" + name, "weights/x/" + name, repo.equals(GATED), size);
    }

    HubDownloader downloader(Optional<String> token, HubDownloader.Options options) {
        return new HubDownloader(hub.endpoint(), token, options, DownloadListener.NONE);
    }

    @Test void lfsFileFollowsTheCdnRedirectAndIsCheckedBySha256() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(3_000_000, 1);
        hub.lfs("org/model", "sub/w.safetensors", content);
        WeightFile f = lfsFile("org/model", "w.safetensors", 3_000_000);

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertTrue(r.note().contains("sha256"), r.note());
        assertArrayEquals(content, Files.readAllBytes(models.resolve("weights/x/w.safetensors")));
        assertFalse(Files.exists(models.resolve("weights/x/w.safetensors.part")));
        assertEquals(1, hub.countRequests("HEAD /org/model/resolve/main/sub/w.safetensors"));
        assertEquals(1, hub.countRequests("CDN GET /cdn/org/model/sub/w.safetensors"));
        assertEquals(0, hub.countRequests("CDN HEAD"), "the HEAD stops at the LFS redirect: its X-Linked-* headers are enough");
    }

    @Test void regularGitFileIsCheckedByItsBlobSha1() throws Exception {
        hub = new FakeHub(false);
        byte[] json = "{\"d_model\": 4096}\n".getBytes();
        hub.regular("org/model", "config.json", json);
        WeightFile f = new WeightFile("org/model", "main", "config.json", "weights/t5/config.json", false, 20);

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertTrue(r.note().contains("git-sha1"), r.note());
        assertArrayEquals(json, Files.readAllBytes(models.resolve("weights/t5/config.json")));
    }

    @Test void gatedRepoWithoutTokenExplainsTheLicenseAndSkipsTheRepo() throws Exception {
        hub = new FakeHub(false);
        hub.gatedRepos.add(GATED);
        hub.lfs(GATED, "sub/flux1-dev.safetensors", FakeHub.randomBytes(5000, 2));
        hub.lfs(GATED, "sub/ae.safetensors", FakeHub.randomBytes(5000, 3));
        hub.lfs("org/open", "sub/lora.safetensors", FakeHub.randomBytes(5000, 4));
        List<WeightFile> files = List.of(lfsFile(GATED, "flux1-dev.safetensors", 5000), lfsFile(GATED, "ae.safetensors", 5000),
                lfsFile("org/open", "lora.safetensors", 5000));

        List<DownloadResult> rs = downloader(Optional.empty(), FAST).fetchAll(files, models);

        assertEquals(Status.FAILED, rs.get(0).status());
        String msg = rs.get(0).note();
        assertTrue(msg.startsWith("[ACCESS]"), msg);
        assertTrue(msg.contains("https://huggingface.co/" + GATED), msg);
        assertTrue(msg.contains("--token") && msg.contains("HF_TOKEN") && msg.contains("license"), msg);
        assertEquals(Status.FAILED, rs.get(1).status());
        assertTrue(rs.get(1).note().contains("refused access"), rs.get(1).note());
        assertEquals(0, hub.countRequests("HEAD /" + GATED + "/resolve/main/sub/ae.safetensors"), "a refusing repo is not asked again");
        assertEquals(Status.DOWNLOADED, rs.get(2).status(), "other repositories still download");
        assertFalse(Files.exists(models.resolve("weights/x/flux1-dev.safetensors")));
    }

    @Test void gatedRepoWithTheTokenDownloadsAndAWrongTokenIsExplained() throws Exception {
        hub = new FakeHub(false);
        hub.gatedRepos.add(GATED);
        byte[] content = FakeHub.randomBytes(10_000, 5);
        hub.lfs(GATED, "sub/ae.safetensors", content);
        WeightFile f = lfsFile(GATED, "ae.safetensors", 10_000);

        DownloadResult wrong = downloader(Optional.of("hf_wrong"), FAST).fetch(f, models);
        assertEquals(Status.FAILED, wrong.status());
        assertTrue(wrong.note().contains("refused the token"), wrong.note());

        DownloadResult ok = downloader(Optional.of("hf_secret"), FAST).fetch(f, models);
        assertEquals(Status.DOWNLOADED, ok.status(), ok.note());
        assertArrayEquals(content, Files.readAllBytes(ok.target()));
    }

    @Test void tokenIsNotSentToACdnOnAnotherOrigin() throws Exception {
        hub = new FakeHub(true);
        hub.gatedRepos.add(GATED);
        byte[] content = FakeHub.randomBytes(200_000, 6);
        hub.lfs(GATED, "sub/flux1-dev.safetensors", content);

        DownloadResult r = downloader(Optional.of("hf_secret"), FAST).fetch(lfsFile(GATED, "flux1-dev.safetensors", 200_000), models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(r.target()));
        assertEquals(1, hub.countRequests("CDN GET"));
        assertEquals(List.of(), hub.cdnAuthorizations);
    }

    @Test void cutConnectionsAreResumedWithRange() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(2_000_000, 7);
        hub.lfs("org/model", "sub/big.bin", content);
        hub.cutsLeft.set(2);
        hub.cutAfterBytes = 700_000;

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(lfsFile("org/model", "big.bin", 2_000_000), models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(r.target()));
        // where each cut lands on the client side depends on socket timing; the resumes are ranged GETs
        assertEquals(3, hub.countRequests("CDN GET"), hub.requests::toString);
        assertTrue(hub.countRequests("CDN GET /cdn/org/model/sub/big.bin bytes=") >= 1, hub.requests::toString);
        assertFalse(Files.exists(HubDownloader.partOf(r.target())));
    }

    @Test void partFileFromAnEarlierRunIsResumedAndCheckedWhole() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(100_000, 8);
        hub.lfs("org/model", "sub/w.bin", content);
        WeightFile f = lfsFile("org/model", "w.bin", 100_000);
        Path part = HubDownloader.partOf(HubDownloader.targetOf(models, f));
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(content, 40_000));

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(r.target()));
        assertEquals(1, hub.countRequests("CDN GET /cdn/org/model/sub/w.bin bytes=40000-"));
    }

    @Test void corruptPartFromAnEarlierRunFailsTheChecksumAndIsDeleted() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(100_000, 9);
        hub.lfs("org/model", "sub/w.bin", content);
        WeightFile f = lfsFile("org/model", "w.bin", 100_000);
        Path target = HubDownloader.targetOf(models, f);
        Files.createDirectories(target.getParent());
        Files.write(HubDownloader.partOf(target), new byte[40_000]); // zeros: not the file's prefix

        HubDownloader d = downloader(Optional.empty(), FAST);
        DownloadResult bad = d.fetch(f, models);
        assertEquals(Status.FAILED, bad.status());
        assertTrue(bad.note().startsWith("[INTEGRITY]"), bad.note());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(HubDownloader.partOf(target)));

        DownloadResult again = d.fetch(f, models);
        assertEquals(Status.DOWNLOADED, again.status(), again.note());
        assertArrayEquals(content, Files.readAllBytes(target));
    }

    @Test void wrongSha256FailsAndLeavesNoFinalFile() throws Exception {
        hub = new FakeHub(false);
        hub.lfsWithEtag("org/model", "sub/w.bin", FakeHub.randomBytes(50_000, 10), "ab".repeat(32));
        WeightFile f = lfsFile("org/model", "w.bin", 50_000);

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);

        assertEquals(Status.FAILED, r.status());
        assertTrue(r.note().startsWith("[INTEGRITY]") && r.note().contains("ab".repeat(32)), r.note());
        assertFalse(Files.exists(r.target()));
        assertFalse(Files.exists(HubDownloader.partOf(r.target())));
    }

    @Test void completeFilesAreSkippedWithoutDownloading() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(30_000, 11);
        hub.lfs("org/model", "sub/w.bin", content);
        WeightFile f = lfsFile("org/model", "w.bin", 30_000);
        Path target = HubDownloader.targetOf(models, f);
        Files.createDirectories(target.getParent());
        Files.write(target, content);

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);

        assertEquals(Status.PRESENT, r.status(), r.note());
        assertEquals(0, hub.countRequests("CDN GET"));
    }

    @Test void verifyPresentRefetchesASameSizeFileWithOtherContent() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(30_000, 12);
        hub.lfs("org/model", "sub/w.bin", content);
        WeightFile f = lfsFile("org/model", "w.bin", 30_000);
        Path target = HubDownloader.targetOf(models, f);
        Files.createDirectories(target.getParent());
        Files.write(target, new byte[30_000]);

        assertEquals(Status.PRESENT, downloader(Optional.empty(), FAST).fetch(f, models).status());
        DownloadResult r = downloader(Optional.empty(), FAST.withVerifyPresent(true)).fetch(f, models);
        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(Status.PRESENT, downloader(Optional.empty(), FAST.withVerifyPresent(true)).fetch(f, models).status());
    }

    @Test void fileOfAnotherSizeIsReplacedOnlyAfterTheNewOneIsComplete() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(30_000, 13);
        hub.lfs("org/model", "sub/w.bin", content);
        WeightFile f = lfsFile("org/model", "w.bin", 30_000);
        Path target = HubDownloader.targetOf(models, f);
        Files.createDirectories(target.getParent());
        Files.write(target, new byte[10]);

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);
        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(target));
    }

    @Test void serverIgnoringRangeMakesTheDownloadStartOver() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(80_000, 14);
        hub.lfs("org/model", "sub/w.bin", content);
        hub.ignoreRange = true;
        WeightFile f = lfsFile("org/model", "w.bin", 80_000);
        Path part = HubDownloader.partOf(HubDownloader.targetOf(models, f));
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(content, 20_000));

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);
        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(r.target()));
    }

    @Test void stalledTransferIsCutAndResumed() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(500_000, 15);
        hub.lfs("org/model", "sub/w.bin", content);
        hub.stallsLeft.set(1);
        hub.cutAfterBytes = 100_000;
        HubDownloader.Options opts = new HubDownloader.Options(4, Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(10), false);

        DownloadResult r = downloader(Optional.empty(), opts).fetch(lfsFile("org/model", "w.bin", 500_000), models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(r.target()));
        assertTrue(hub.countRequests("CDN GET /cdn/org/model/sub/w.bin bytes=") >= 1, hub.requests::toString);
    }

    @Test void givesUpAfterAttemptsWithoutProgressAndKeepsThePart() throws Exception {
        hub = new FakeHub(false);
        hub.lfs("org/model", "sub/w.bin", FakeHub.randomBytes(50_000, 16));
        hub.cutsLeft.set(1000);
        hub.cutAfterBytes = 0;
        WeightFile f = lfsFile("org/model", "w.bin", 50_000);

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(f, models);

        assertEquals(Status.FAILED, r.status());
        assertTrue(r.note().startsWith("[NETWORK]") && r.note().contains("run again to resume"), r.note());
        assertFalse(Files.exists(r.target()));
        assertEquals(FAST.maxAttempts(), hub.countRequests("CDN GET"));
    }

    @Test void renamedRepoIsFollowedThroughARelativeRedirect() throws Exception {
        hub = new FakeHub(false);
        byte[] content = FakeHub.randomBytes(10_000, 17);
        hub.lfs("org/new-name", "sub/w.bin", content);
        hub.renamedRepos.put("org/old-name", "org/new-name");

        DownloadResult r = downloader(Optional.empty(), FAST).fetch(lfsFile("org/old-name", "w.bin", 10_000), models);

        assertEquals(Status.DOWNLOADED, r.status(), r.note());
        assertArrayEquals(content, Files.readAllBytes(r.target()));
    }

    @Test void missingFileIsReportedAsNotFound() throws Exception {
        hub = new FakeHub(false);
        DownloadResult r = downloader(Optional.empty(), FAST).fetch(lfsFile("org/model", "nope.bin", 1), models);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.note().startsWith("[NOT_FOUND]") && r.note().contains("org/model:sub/nope.bin"), r.note());
    }

    @Test void unreachableHubKeepsExistingFilesAndFailsMissingOnes() throws Exception {
        hub = new FakeHub(false);
        HubEndpoint dead = hub.endpoint();
        hub.close();
        hub = null;
        WeightFile have = lfsFile("org/model", "have.bin", 3);
        WeightFile missing = lfsFile("org/model", "missing.bin", 3);
        Path t = HubDownloader.targetOf(models, have);
        Files.createDirectories(t.getParent());
        Files.write(t, new byte[3]);
        HubDownloader.Options opts = new HubDownloader.Options(2, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(2), false);
        HubDownloader d = new HubDownloader(dead, Optional.empty(), opts, DownloadListener.NONE);

        List<DownloadResult> rs = d.fetchAll(List.of(have, missing), models);

        assertEquals(Status.KEPT, rs.get(0).status(), rs.get(0).note());
        assertEquals(Status.FAILED, rs.get(1).status());
        assertTrue(rs.get(1).note().startsWith("[NETWORK]"), rs.get(1).note());
    }

    @Test void listenerSeesStartProgressAndFinish() throws Exception {
        hub = new FakeHub(false);
        hub.lfs("org/model", "sub/w.bin", FakeHub.randomBytes(3_000_000, 18));
        long[] seen = {-1, 0, 0};
        DownloadListener l = new DownloadListener() {
            @Override public void started(WeightFile file, Path target, long total, long resumeFrom) { seen[0] = total; }
            @Override public void progress(WeightFile file, long done, long total) { seen[1] = done; }
            @Override public void finished(DownloadResult result) { seen[2]++; }
        };
        new HubDownloader(hub.endpoint(), Optional.empty(), FAST, l).fetch(lfsFile("org/model", "w.bin", 3_000_000), models);
        assertArrayEquals(new long[] {3_000_000, 3_000_000, 1}, seen);
    }
}
