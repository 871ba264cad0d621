# The shipped kiosk.ini → /etc/kiosk/kiosk.ini for a terminal: full screen, and beside each device kind
# (still the demo's, so the kiosk starts before the technician has wired anything) the real kinds as
# commented examples. Used by systemd/install.sh; every other line is copied as it is.
/^\[/ { section = $0 }
section == "[ui]" && /^fullscreen *=/ { print "fullscreen = yes"; next }
section == "[registry]" && /^kind *=/ {
    print "# On a terminal: kind = emias with the city's url, ca_bundle and client_cert, e.g."
    print "#   kind = emias"
    print "#   url = https://registry.example.city/api/emc/appointment-eip/v1/"
}
section == "[card_reader]" && /^kind *=/ {
    print "# On a terminal: kind = pcsc (a real reader; `kiosk card readers` lists them), e.g."
    print "#   kind = pcsc"
    print "#   reader = ACS ACR38U"
}
section == "[printer]" && /^kind *=/ {
    print "# On a terminal: usb (udev names it /dev/kiosk-printer), serial or network, e.g."
    print "#   kind = usb"
    print "#   kind = serial       with serial_port = /dev/kiosk-serial0"
    print "#   kind = network      with host = 10.0.0.50"
}
{ print }
