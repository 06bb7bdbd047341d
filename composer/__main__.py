import sys

from composer.cli.main import main

sys.exit(main())
