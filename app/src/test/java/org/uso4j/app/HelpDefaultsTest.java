package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every option of every command says what it does and shows its default; every official inference.py flag is accepted. */
class HelpDefaultsTest {
    /** The official InferenceArgs (USO inference.py), in their order. */
    static final List<String> OFFICIAL = List.of("prompt", "image_paths", "eval_json_path", "offload", "num_images_per_prompt", "model_type", "width",
            "height", "num_steps", "guidance", "seed", "save_path", "only_lora", "concat_refs", "lora_rank", "pe", "content_ref", "ckpt_path",
            "use_siglip", "instruct_edit", "hf_download");

    @Test void everyOptionIsDescribedAndShowsItsDefault() {
        List<String> problems = new ArrayList<>();
        check(Main.commandLine(new Console(System.out, System.err, false)), problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static void check(CommandLine cl, List<String> problems) {
        StringWriter help = new StringWriter();
        cl.usage(new PrintWriter(help));
        for (OptionSpec o : cl.getCommandSpec().options()) {
            String name = cl.getCommandSpec().qualifiedName() + " " + o.longestName();
            if (String.join("", o.description()).isBlank()) problems.add(name + ": no description");
            String dflt = o.defaultValue();
            if (dflt != null && !o.usageHelp() && !o.versionHelp() && !help.toString().contains("Default: " + dflt)) {
                problems.add(name + ": default " + dflt + " not shown");
            }
        }
        cl.getSubcommands().values().forEach(sub -> check(sub, problems));
    }

    @Test void everyOfficialFlagIsAcceptedAsTheOfficialScriptTakesIt(@TempDir Path tmp) throws Exception {
        CliOutputTest.locate();
        CommandLine generate = Main.commandLine(new Console(System.out, System.err, false)).getSubcommands().get("generate");
        for (String flag : OFFICIAL) assertTrue(generate.getCommandSpec().findOption("--" + flag) != null, "--" + flag + " is not accepted");
        Path out = tmp.resolve("o");
        Cli r = Cli.run("generate", "--models", CliOutputTest.tiny.toString(), "--prompt", "A cat.", "--image_paths", "", "--offload", "True",
                "--num_images_per_prompt", "1", "--model_type", "flux-dev-fp8", "--width", "32", "--height", "32", "--num_steps", "1", "--guidance", "4",
                "--seed", "3407", "--save_path", out.toString(), "--only_lora", "True", "--lora_rank", "4", "--pe", "d", "--content_ref", "512",
                "--ckpt_path", CliOutputTest.tiny.resolve("weights/USO/uso_flux_v1.0/dit_lora.safetensors").toString(), "--use_siglip", "True",
                "--hf_download", "False");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.err().contains("note: --model_type flux-dev-fp8") && r.err().contains("note: --ckpt_path is read as the USO LoRA"), r.all());
        String sidecar = Files.readString(out.resolve("0_0.json"));
        assertTrue(sidecar.contains("\"model_type\": \"flux-dev-fp8\"") && sidecar.contains("\"ckpt_path\": \"" + CliOutputTest.tiny), sidecar);
        Cli hf = Cli.run("generate", "--models", CliOutputTest.tiny.toString(), "--prompt", "x", "--width", "32", "--height", "32", "--num_steps", "1",
                "--save_path", out.toString(), "--hf_download");
        assertTrue(hf.err().contains("uso4j download"), hf.all());
        Cli noSiglip = Cli.run("generate", "--models", CliOutputTest.tiny.toString(), "--prompt", "x", "--use_siglip", "False");
        assertEquals(2, noSiglip.exit());
        assertTrue(noSiglip.err().startsWith("error: --use_siglip False"), noSiglip.all());
    }
}
