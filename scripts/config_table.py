"""Print the README's configuration table from the Settings model, so the docs cannot drift from the code.

.venv/bin/python scripts/config_table.py
"""

from assistant.settings import Settings, describe


def main() -> None:
    defaults = Settings(home="./.askear")
    print("| variable | default | meaning |")
    print("|---|---|---|")
    for env, value, description in describe(defaults):
        shown = f"`{value}`" if value not in ("", "[]") else "unset"
        print(f"| `{env}` | {shown} | {description} |")


if __name__ == "__main__":
    main()
