# The two commands of README.md, and a few conveniences.
.PHONY: sample sample-remote test build clean-world

sample:            ## set up, then run the main job on the shipped sample world
	scripts/run-sample-world.sh

sample-remote:     ## the sample world through the daemon, with partners on local SFTP and HTTP servers
	scripts/sample-remote.sh

test:              ## set up, then run every test
	scripts/test.sh

build:
	swift build

clean-world:       ## forget the sample world's run: store, archive, quarantine, inbox and outbox files
	rm -rf var archive quarantine inbox/*/ outbox/*/
