; Inno Setup script: the Windows installer of the stand-alone Teixit (dist\teixit, built with
; pyinstaller packaging\teixit.spec). Build from the checkout's root:
;   iscc packaging\windows\teixit.iss
; The version comes from pyproject.toml. Installs per user (no administrator needed), 64-bit.
; Uninstalling removes the program only: the user's data (%LOCALAPPDATA%\Teixit) stays.

#define AppId "{{7B2F3C1E-5A4D-4E8B-9C6F-1D2E3F4A5B6C}"
#define Root SourcePath + "..\..\"
#define Dist Root + "dist\teixit\"

; version = "x.y.z" in pyproject.toml's [project] table.
#define PyProject FileOpen(Root + "pyproject.toml")
#define VersionLine ""
#sub FindVersion
  #define Line FileRead(PyProject)
  #if Pos("version = ", Line) == 1 && VersionLine == ""
    #define VersionLine Line
  #endif
#endsub
#for {0; !FileEof(PyProject); 0} FindVersion
#expr FileClose(PyProject)
#if VersionLine == ""
  #error "No version line in pyproject.toml"
#endif
#define AppVersion Copy(VersionLine, 12, Len(VersionLine) - 12)

[Setup]
AppId={#AppId}
AppName=Teixit
AppVersion={#AppVersion}
AppVerName=Teixit {#AppVersion}
AppPublisher=Teixit
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Teixit
DefaultGroupName=Teixit
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile={#Root}resources\icons\teixit.ico
UninstallDisplayIcon={app}\teixit.exe
OutputDir={#Root}dist
OutputBaseFilename=teixit-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "ca"; MessagesFile: "compiler:Languages\Catalan.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the libraries whole: files an older version shipped and this one does not
; would otherwise stay behind and be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Dist}teixit.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#Dist}teixit-cli.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#Dist}_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Teixit"; Filename: "{app}\teixit.exe"
Name: "{autodesktop}\Teixit"; Filename: "{app}\teixit.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\teixit.exe"; Description: "{cm:LaunchProgram,Teixit}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what Teixit itself wrote inside its program folder; never %LOCALAPPDATA%\Teixit.
Type: filesandordirs; Name: "{app}\_internal"
