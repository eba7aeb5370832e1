; Inno Setup script: wraps the PyInstaller folder (dist\teixit) in an installer.
#define AppVersion "0.1.0"
[Setup]
AppName=Teixit
AppVersion={#AppVersion}
DefaultDirName={autopf}\Teixit
DefaultGroupName=Teixit
OutputBaseFilename=teixit-{#AppVersion}-setup
PrivilegesRequired=lowest
[Languages]
Name: "ca"; MessagesFile: "compiler:Languages\Catalan.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
[Files]
Source: "..\..\dist\teixit\*"; DestDir: "{app}"; Flags: recursesubdirs
[Icons]
Name: "{group}\Teixit"; Filename: "{app}\teixit.exe"
Name: "{autodesktop}\Teixit"; Filename: "{app}\teixit.exe"
