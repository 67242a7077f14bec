# Security groups in every form Terraform offers, in a dual-stack VPC with one public and one
# private subnet.
#
#   instance "exposed"  (public subnet) SG "admin_open": 22 and 3389 from 0.0.0.0/0 and ::/0 -> TFVPC203
#   instance "managed"  (public subnet) SG "admin_vpc":  22 and 3389 from the VPC CIDR only   -> near miss 203
#   instance "app"      (private)  SG "app":  aws_security_group_rule with cidr_blocks,
#                       source_security_group_id, self and prefix_list_ids
#   instance "db"       (private)  SG "db":   aws_vpc_security_group_ingress_rule /
#                       aws_vpc_security_group_egress_rule (referenced SG, prefix list, IPv4, IPv6)
#   instance "sealed"   (private)  SG "no_egress": ingress only, NO egress declared -> Terraform
#                       removes AWS's default allow-all egress: "sealed" cannot open any connection
#   aws_default_security_group: the VPC's default SG with every rule removed
#   aws_ec2_managed_prefix_list "office": source of the prefix-list rules

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                          = aws_vpc.main.id
  availability_zone               = "us-east-1a"
  cidr_block                      = "10.0.0.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)
  map_public_ip_on_launch         = true
  assign_ipv6_address_on_creation = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.1.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

# (the private subnet uses the main route table: local only)

resource "aws_ec2_managed_prefix_list" "office" {
  name           = "office"
  address_family = "IPv4"
  max_entries    = 5

  entry {
    cidr        = "198.51.100.0/24"
    description = "HQ"
  }
  entry {
    cidr        = "203.0.113.0/24"
    description = "branch"
  }
}

# --- admin access --------------------------------------------------------------------------

# WRONG: SSH and RDP from the whole internet, both families, on a public instance (TFVPC203).
resource "aws_security_group" "admin_open" {
  name        = "admin-open"
  description = "SSH and RDP from anywhere"
  vpc_id      = aws_vpc.main.id

  ingress {
    description      = "SSH"
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    description      = "RDP"
    from_port        = 3389
    to_port          = 3389
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

# Near miss for TFVPC203: same ports, VPC only.
resource "aws_security_group" "admin_vpc" {
  name        = "admin-vpc"
  description = "SSH and RDP from inside the VPC"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# --- standalone aws_security_group_rule, every source kind ----------------------------------

resource "aws_security_group" "lb" {
  name        = "lb"
  description = "load balancer"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "app tier; rules are separate resources"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group_rule" "app_from_vpc_cidr" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_blocks       = ["10.0.0.0/16"]
}

resource "aws_security_group_rule" "app_from_lb" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 8443
  to_port                  = 8443
  source_security_group_id = aws_security_group.lb.id
}

resource "aws_security_group_rule" "app_self" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
}

resource "aws_security_group_rule" "app_from_office" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_ids   = [aws_ec2_managed_prefix_list.office.id]
}

resource "aws_security_group_rule" "app_egress_all" {
  type              = "egress"
  security_group_id = aws_security_group.app.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "lb_egress_to_app" {
  type                     = "egress"
  security_group_id        = aws_security_group.lb.id
  protocol                 = "tcp"
  from_port                = 8443
  to_port                  = 8443
  source_security_group_id = aws_security_group.app.id
}

# --- aws_vpc_security_group_ingress_rule / _egress_rule -------------------------------------

resource "aws_security_group" "db" {
  name        = "db"
  description = "database; rules are separate resources"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_office" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  prefix_list_id    = aws_ec2_managed_prefix_list.office.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_private_subnet" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "10.0.1.0/24"
}

resource "aws_vpc_security_group_ingress_rule" "db_from_vpc_ipv6" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv6         = aws_vpc.main.ipv6_cidr_block
}

resource "aws_vpc_security_group_egress_rule" "db_all" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# --- no egress at all -------------------------------------------------------------------------

# No egress block and no egress rule resource: Terraform deletes the default allow-all egress.
resource "aws_security_group" "no_egress" {
  name        = "no-egress"
  description = "HTTPS in from the office, nothing out"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.office.id]
  }
}

# The VPC's default SG, emptied (no ingress, no egress): the CIS-recommended lockdown.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}

# --- instances --------------------------------------------------------------------------------

resource "aws_instance" "exposed" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.admin_open.id]
  ipv6_address_count     = 1
  tags                   = { Name = "exposed" }
}

resource "aws_instance" "managed" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.admin_vpc.id]
  tags                   = { Name = "managed" }
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "app" }
}

resource "aws_instance" "db" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.db.id]
  tags                   = { Name = "db" }
}

resource "aws_instance" "sealed" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.no_egress.id]
  tags                   = { Name = "sealed" }
}
