"""The command-line face of evreader (argparse; Rich for tables)."""
