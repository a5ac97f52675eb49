using System;
using System.Text;

namespace Manifold.Generator.Helpers
{
    /// <summary>
    /// A small indented writer, after the one in dotnet/runtime's generators: templates are raw strings
    /// whose lines are re-indented to the current depth, so emitted code reads like hand-written code.
    /// </summary>
    internal sealed class SourceWriter
    {
        private const int SpacesPerIndent = 4;
        private readonly StringBuilder _builder = new StringBuilder();

        public int Indentation { get; set; }

        public SourceWriter WriteLine()
        {
            _builder.Append('\n');
            return this;
        }

        /// <summary>Writes one or more lines (split on '\n'), each indented to the current depth.</summary>
        public SourceWriter WriteLine(string text)
        {
            var start = 0;
            while (start <= text.Length)
            {
                var end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    end = text.Length;
                }
                var line = text.Substring(start, end - start).TrimEnd('\r');
                if (line.Length > 0)
                {
                    _builder.Append(' ', Indentation * SpacesPerIndent).Append(line);
                }
                _builder.Append('\n');
                start = end + 1;
            }
            return this;
        }

        /// <summary>Writes <paramref name="header"/>, an opening brace, and indents.</summary>
        public SourceWriter OpenBlock(string header)
        {
            WriteLine(header);
            WriteLine("{");
            Indentation++;
            return this;
        }

        public SourceWriter CloseBlock(string suffix = "")
        {
            if (Indentation == 0)
            {
                throw new InvalidOperationException("CloseBlock without OpenBlock.");
            }
            Indentation--;
            WriteLine("}" + suffix);
            return this;
        }

        /// <summary>Writes an XML doc summary; the text is escaped and may span lines.</summary>
        public SourceWriter WriteSummary(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return this;
            }
            WriteLine("/// <summary>");
            foreach (var line in text!.Trim().Split('\n'))
            {
                WriteLine("/// " + Escape(line.Trim()));
            }
            WriteLine("/// </summary>");
            return this;
        }

        public override string ToString() => _builder.ToString();

        /// <summary>Escapes text for an XML doc comment.</summary>
        public static string Escape(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
