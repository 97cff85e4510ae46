// Prints the glossary entries OmegaT (3.6) reads from a file, one
// "source<TAB>target<TAB>comment" line each, with OmegaT's own readers,
// inside a console-mode project (the TBX reader needs the project's
// languages). Used by tools/omegat_glossary_check.sh.
import java.io.File;
import java.util.HashMap;
import java.util.List;

import org.omegat.core.Core;
import org.omegat.core.data.ProjectProperties;
import org.omegat.core.data.RealProject;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;
import org.omegat.util.ProjectFileStorage;

public class GlossaryCheck {
    public static void main(String[] args) throws Exception {
        Core.initializeConsole(new HashMap<String, String>());
        ProjectProperties props = ProjectFileStorage.loadProjectProperties(new File(args[0]));
        // What OmegaT's console modes do: load the project, make it current.
        RealProject project = new RealProject(props);
        project.loadProject(true);
        Core.setProject(project);
        for (int i = 1; i < args.length; i++) {
            File f = new File(args[i]);
            List<GlossaryEntry> entries = f.getName().endsWith(".tbx")
                    ? GlossaryReaderTBX.read(f, false)
                    : GlossaryReaderTSV.read(f, false);
            for (GlossaryEntry e : entries) {
                System.out.println(f.getName() + "\t" + e.getSrcText() + "\t" + e.getLocText() + "\t"
                        + e.getCommentText().replace('\n', ' '));
            }
        }
        System.exit(0);
    }
}
